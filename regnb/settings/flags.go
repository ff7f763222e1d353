package settings

import (
	"flag"
	"reflect"
)

// DeclareFlags declares on fs a flag for each setting that has one, bound
// to its field of cfg, with cfg's value as its default: parsing a command
// line into a preset's Config applies exactly the flags given.
func DeclareFlags(fs *flag.FlagSet, cfg *Config) {
	for _, s := range declared {
		if s.Flag == "" {
			continue
		}
		switch p := s.field(cfg).Addr().Interface().(type) {
		case *float64:
			fs.Float64Var(p, s.Flag, *p, s.Help)
		case *int:
			fs.IntVar(p, s.Flag, *p, s.Help)
		case *uint64:
			fs.Uint64Var(p, s.Flag, *p, s.Help)
		case *bool:
			fs.BoolVar(p, s.Flag, *p, s.Help)
		case *string:
			fs.StringVar(p, s.Flag, *p, s.Help)
		default:
			fs.Var(&listFlag{s: s, cfg: cfg}, s.Flag, s.Help)
		}
	}
}

// listFlag is a list setting ([]int) as a flag.Value: "64,32".
type listFlag struct {
	s   Setting
	cfg *Config
}

func (f *listFlag) String() string {
	if f.cfg == nil || reflect.ValueOf(f.s.Get(*f.cfg)).Len() == 0 { // The zero value flag.PrintDefaults makes.
		return ""
	}
	return f.s.Format(*f.cfg)
}

func (f *listFlag) Set(text string) error { return f.s.Set(f.cfg, text) }
