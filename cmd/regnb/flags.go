package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"

	"github.com/regnb/regnb/regnb/run"
	"github.com/regnb/regnb/regnb/settings"
)

// command is a subcommand's flags: the run's settings, one flag each as
// package settings declares them, bound to defaults (for -h and a first
// parse), and the subcommand's own.
type command struct {
	fs       *flag.FlagSet
	defaults settings.Config
	own      func(*flag.FlagSet, *command)
	set      []string // The flags given, in order.

	example, resume, examples string
	seeds                     string // train and sweep
	sweep                     sweepFlags
}

func newCommand(name string, stderr io.Writer, own func(*flag.FlagSet, *command)) *command {
	return newCommandFrom(name, settings.Default(), stderr, own)
}

// newCommandFrom is newCommand with other defaults for the run's settings.
func newCommandFrom(name string, defaults settings.Config, stderr io.Writer, own func(*flag.FlagSet, *command)) *command {
	c := &command{defaults: defaults, own: own}
	c.fs = c.flagSet("regnb "+name, &c.defaults)
	c.fs.SetOutput(stderr)
	return c
}

// flagSet declares the flags of the command, the run's bound to cfg.
func (c *command) flagSet(name string, cfg *settings.Config) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	settings.DeclareFlags(fs, cfg)
	c.own(fs, c)
	return fs
}

// parse parses args; a bad flag is reported by the flag package itself.
func (c *command) parse(args []string) error {
	if err := c.fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if c.fs.NArg() > 0 {
		fmt.Fprintf(c.fs.Output(), "regnb: unexpected argument %q\n", c.fs.Arg(0))
		return errUsage
	}
	c.fs.Visit(func(f *flag.Flag) { c.set = append(c.set, f.Name) })
	return nil
}

// config returns the example's preset with the flags given in args applied.
func (c *command) config(example string, args []string) (settings.Config, error) {
	cfg, err := settings.Preset(example)
	if err != nil {
		return cfg, err
	}
	if err := c.apply(&cfg, args); err != nil {
		return cfg, err
	}
	if slices.Contains(c.set, "alpha") { // -alpha replaces the example's l1 and l2.
		if !slices.Contains(c.set, "l1") {
			cfg.L1 = 0
		}
		if !slices.Contains(c.set, "l2") {
			cfg.L2 = 0
		}
	}
	return cfg, cfg.Validate()
}

// resumeConfig returns the configuration of the run saved in -resume DIR
// with the flags given applied: the original command line with -resume
// added gives the saved settings back; the engine refuses a value that
// changes a setting a resume cannot honour, naming it.
func (c *command) resumeConfig(args []string) (settings.Config, error) {
	cfg, err := run.ResumeConfig(c.resume)
	if err != nil {
		return cfg, err
	}
	if slices.Contains(c.set, "example") && c.example != cfg.Example {
		return cfg, fmt.Errorf("resume %s: cannot change example (saved %s, given %s)", c.resume, cfg.Example, c.example)
	}
	return cfg, c.apply(&cfg, args)
}

// apply parses args again, with the run's flags bound to cfg (the
// subcommand's own get the same values again).
func (c *command) apply(cfg *settings.Config, args []string) error {
	return c.flagSet(c.fs.Name(), cfg).Parse(args)
}
