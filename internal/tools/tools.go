//go:build tools

// Package tools pins the developer tools that the set-up script installs from
// this module (GoNB cannot be installed with "go install pkg@version" here).
package tools

import (
	_ "github.com/janpfeifer/gonb"
)
