package settings

import (
	"errors"
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// Setting is one field of Config as its tags declare it.
type Setting struct {
	Field     string // The Go field, e.g. "BatchSize".
	JSON      string // Its name in history.json, e.g. "batch_size".
	Flag      string // Its command-line flag, e.g. "batch" ("" if none).
	Help      string // The flag's help.
	Check     string // What a valid value is (see Config).
	Resumable bool   // Whether a resumed run may change it.
	index     int
}

// Name is the setting's name as errors and users see it: its flag, else its
// JSON name.
func (s Setting) Name() string {
	if s.Flag != "" {
		return s.Flag
	}
	return s.JSON
}

var declared = declare()

// declare reads the settings from Config's tags.
func declare() []Setting {
	t := reflect.TypeFor[Config]()
	var out []Setting
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		s := Setting{Field: f.Name, JSON: name, Flag: f.Tag.Get("flag"), Help: f.Tag.Get("help"),
			Check: f.Tag.Get("check"), Resumable: f.Tag.Get("resume") == "yes", index: i}
		if s.Flag == "-" {
			s.Flag = ""
		}
		out = append(out, s)
	}
	return out
}

// Settings returns every setting of Config, in the order of its fields.
func Settings() []Setting { return slices.Clone(declared) }

// ByFlag returns the setting whose flag is name.
func ByFlag(name string) (Setting, bool) {
	i := slices.IndexFunc(declared, func(s Setting) bool { return s.Flag == name })
	if i < 0 {
		return Setting{}, false
	}
	return declared[i], true
}

// ByJSON returns the setting whose JSON name is name.
func ByJSON(name string) (Setting, bool) {
	i := slices.IndexFunc(declared, func(s Setting) bool { return s.JSON == name })
	if i < 0 {
		return Setting{}, false
	}
	return declared[i], true
}

func (s Setting) field(c *Config) reflect.Value { return reflect.ValueOf(c).Elem().Field(s.index) }

// Get returns the setting's value in c.
func (s Setting) Get(c Config) any { return s.field(&c).Interface() }

// Format returns the setting's value in c as its flag takes it.
func (s Setting) Format(c Config) string {
	v := s.field(&c)
	switch v.Kind() {
	case reflect.Float64:
		return strconv.FormatFloat(v.Float(), 'g', -1, 64)
	case reflect.Slice:
		parts := make([]string, v.Len())
		for i := range parts {
			parts[i] = fmt.Sprint(v.Index(i).Interface())
		}
		return strings.Join(parts, ",")
	}
	return fmt.Sprint(v.Interface())
}

// Set parses text as the setting's flag does and stores it in c.
func (s Setting) Set(c *Config, text string) error {
	v := s.field(c)
	var err error
	switch v.Kind() {
	case reflect.Float64:
		var x float64
		if x, err = strconv.ParseFloat(text, 64); err == nil {
			v.SetFloat(x)
		}
	case reflect.Int:
		var x int64
		if x, err = strconv.ParseInt(text, 10, 0); err == nil {
			v.SetInt(x)
		}
	case reflect.Uint64:
		var x uint64
		if x, err = strconv.ParseUint(text, 10, 64); err == nil {
			v.SetUint(x)
		}
	case reflect.Bool:
		var x bool
		if x, err = strconv.ParseBool(text); err == nil {
			v.SetBool(x)
		}
	case reflect.String:
		v.SetString(text)
	case reflect.Slice: // []int
		var xs []int
		for _, part := range strings.Split(text, ",") {
			var x int
			if x, err = strconv.Atoi(strings.TrimSpace(part)); err != nil {
				break
			}
			xs = append(xs, x)
		}
		if err == nil {
			v.Set(reflect.ValueOf(xs))
		}
	}
	if err != nil {
		var num *strconv.NumError
		if errors.As(err, &num) {
			err = num.Err
		}
		return fmt.Errorf("%s = %q: %w", s.Name(), text, err)
	}
	return nil
}

// IsBool reports whether the setting is a switch (a flag without a value).
func (s Setting) IsBool() bool {
	return reflect.TypeFor[Config]().Field(s.index).Type.Kind() == reflect.Bool
}

// validate checks the setting's value in c against its declared check.
func (s Setting) validate(c Config) error {
	v := s.field(&c)
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%s = %v: %s", s.Name(), v.Interface(), fmt.Sprintf(format, args...))
	}
	check, arg, _ := strings.Cut(s.Check, "=")
	switch check {
	case "strength", "ratio", "rate", "probability":
		x := v.Float()
		switch {
		case math.IsNaN(x):
			return bad("must be a number, not NaN")
		case math.IsInf(x, 0):
			return bad("must be finite")
		case check == "strength" && x < 0:
			return bad("must be ≥ 0")
		case check == "ratio" && (x < 0 || x > 1):
			return bad("must be in [0, 1]")
		case check == "probability" && (x < 0 || x >= 1):
			return bad("must be in [0, 1)")
		case check == "rate" && x <= 0:
			return bad("must be > 0")
		case check == "rate" && float32(x) == 0:
			return bad("rounds to 0 in float32, the model's precision: want at least %g", math.SmallestNonzeroFloat32)
		}
	case "count":
		if v.Int() < 1 {
			return bad("must be at least 1")
		}
	case "limit":
		if v.Int() < 0 {
			return bad("must be ≥ 0 (0: no limit)")
		}
	case "optional":
		if v.Int() < 0 {
			return bad("must be ≥ 0 (0: none)")
		}
	case "sizes":
		for i := range v.Len() {
			if v.Index(i).Int() < 1 {
				return bad("layer %d has size %d: want at least 1", i+1, v.Index(i).Int())
			}
		}
	case "oneof":
		if !slices.Contains(strings.Split(arg, "|"), v.String()) {
			return fmt.Errorf("%s = %q: want %s", s.Name(), v.String(), strings.ReplaceAll(arg, "|", " or "))
		}
	case "example":
		if v.String() != "" && !slices.Contains(Examples, v.String()) {
			return unknownExample(v.String())
		}
	}
	return nil
}

func unknownExample(name string) error {
	return fmt.Errorf("unknown example %q: want one of %s", name, strings.Join(Examples, ", "))
}

// Validate checks every setting and returns all problems found, each naming
// the setting (its flag) and its value, e.g. "l1 = -1: must be ≥ 0".
func (c Config) Validate() error {
	var errs []error
	for _, s := range declared {
		if err := s.validate(c); err != nil {
			errs = append(errs, err)
		}
	}
	if c.Alpha != 0 && (c.L1 != 0 || c.L2 != 0) {
		errs = append(errs, fmt.Errorf("alpha = %v with l1 = %v, l2 = %v: give either alpha and l1-ratio, or l1 and l2", c.Alpha, c.L1, c.L2))
	}
	if c.GroupLasso != 0 && c.Penalize != "all" {
		errs = append(errs, fmt.Errorf("group-lasso = %v with penalize = %q: the group lasso needs penalize = \"all\" "+
			"(each unit's group holds its bias: a unit is removed only when its weights and bias are all 0)", c.GroupLasso, c.Penalize))
	}
	return errors.Join(errs...)
}

// Changes returns the settings whose values differ between a and b.
func Changes(a, b Config) []Setting {
	var out []Setting
	for _, s := range declared {
		if !reflect.DeepEqual(s.Get(a), s.Get(b)) {
			out = append(out, s)
		}
	}
	return out
}

// Resumable returns the names of the settings a resumed run may change.
func Resumable() []string {
	var names []string
	for _, s := range declared {
		if s.Resumable {
			names = append(names, s.Name())
		}
	}
	return names
}
