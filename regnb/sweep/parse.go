package sweep

import (
	"fmt"
	"strconv"
	"strings"
)

// ParseSeeds reads a list of seeds, "42,43,44", or a count, "3": that many
// seeds from first on (42, 43, 44 for first 42). A single number is a count.
func ParseSeeds(text string, first uint64) ([]uint64, error) {
	parts := strings.Split(text, ",")
	var seeds []uint64
	for _, part := range parts {
		s, err := strconv.ParseUint(strings.TrimSpace(part), 10, 64)
		if err != nil {
			return nil, fmt.Errorf("seeds = %q: want seeds (42,43,44) or a count (3)", text)
		}
		seeds = append(seeds, s)
	}
	if len(seeds) > 1 {
		return seeds, twice("seed", seeds, func(s uint64) string { return strconv.FormatUint(s, 10) })
	}
	if seeds[0] == 0 {
		return nil, fmt.Errorf("seeds = 0: want at least 1 seed")
	}
	out := make([]uint64, seeds[0])
	for i := range out {
		out[i] = first + uint64(i)
	}
	return out, nil
}

// ParseLambdas reads a list of strengths, "1e-5,1e-4,1e-3". Any number is
// read (NaN, -1); NewPlan says which are not valid strengths.
func ParseLambdas(text string) ([]float64, error) {
	if strings.TrimSpace(text) == "" {
		return nil, nil
	}
	var out []float64
	for _, part := range strings.Split(text, ",") {
		x, err := strconv.ParseFloat(strings.TrimSpace(part), 64)
		if err != nil {
			return nil, fmt.Errorf("lambda = %q: %q is not a number", text, part)
		}
		out = append(out, x)
	}
	return out, nil
}

// ParseAxis reads a second axis, "SETTING=V1,V2", e.g. "proximal=false,true"
// or "l1-ratio=0.2,0.5,0.8"; "" is no axis.
func ParseAxis(text string) (Axis, error) {
	if text == "" {
		return Axis{}, nil
	}
	name, values, ok := strings.Cut(text, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return Axis{}, fmt.Errorf("vary = %q: want SETTING=VALUE,VALUE,… (e.g. proximal=false,true)", text)
	}
	a := Axis{Setting: strings.TrimSpace(name)}
	for _, v := range strings.Split(values, ",") {
		if v = strings.TrimSpace(v); v != "" {
			a.Values = append(a.Values, v)
		}
	}
	return a, nil
}
