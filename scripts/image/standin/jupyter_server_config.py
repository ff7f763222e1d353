# Stand-in for docker-stacks' /etc/jupyter/jupyter_server_config.py (image test only).
c = get_config()  # noqa: F821
c.ServerApp.ip = "0.0.0.0"
c.ServerApp.port = 8888
c.ServerApp.open_browser = False
