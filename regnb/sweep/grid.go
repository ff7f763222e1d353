package sweep

import (
	"errors"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"

	"github.com/regnb/regnb/regnb/settings"
)

// Kinds are the penalties whose strength λ a sweep varies: λ is
//
//	l1           λ1 of λ1·Σ|w|
//	l2           λ2 of λ2·Σw²
//	elastic-net  scikit-learn's α of α·ρ·Σ|w| + ½α(1−ρ)·Σw² (ρ: Config.L1Ratio)
//	group-lasso  λ of the group lasso over hidden units
var Kinds = []string{"l1", "l2", "elastic-net", "group-lasso"}

// PenaltyAxis is the name of a second axis over Kinds.
const PenaltyAxis = "penalty"

// DefaultValidation is the validation split of a sweep's runs when its base
// configuration has none: the last 10 000 of MNIST's 60 000 training images
// (after a shuffle drawn from each run's seed).
const DefaultValidation = 10000

// Axis is a grid's second axis: a setting, named by its flag (e.g.
// "proximal", "l1-ratio", "lr"), or PenaltyAxis, and the values to try, as
// the flag takes them.
type Axis struct {
	Setting string
	Values  []string
}

// Grid is what a sweep tries: the strengths Lambdas of the penalty Kind,
// times the values of an optional second axis (Vary), each configuration
// run with each of Seeds. Every other setting is Base's.
type Grid struct {
	Base    settings.Config // Its Validation (DefaultValidation if 0) holds out the images the sweep chooses on.
	Kind    string          // One of Kinds (default "l1"); the second axis may vary it instead.
	Lambdas []float64
	Vary    Axis     // Setting "": λ alone.
	Seeds   []uint64 // Default: Base.Seed alone.
	Dir     string   // The sweep's directory: DIR/<configuration>/seed-<seed> for each run.
	// Tolerance, if > 0, adds a third rule (history.ChosenTolerance): the
	// largest λ whose mean validation accuracy is within Tolerance of the
	// best mean.
	Tolerance float64
}

// Point is one configuration of a grid: a value of the second axis (its
// path) and a λ.
type Point struct {
	Path   string // The second axis's value ("" without one).
	Lambda float64
	Label  string // The configuration in words (settings.Config.Label).
	Key    string // Its directory's name in the sweep's directory, e.g. "l1-lambda-0.0001".
	// Jobs are its runs, one per seed (indices into Plan.Jobs). A point
	// whose configuration an earlier point has (λ = 0 on each penalty's
	// path) shares that point's Key and Jobs: it is run once.
	Jobs []int
}

// Job is one run of a sweep: a configuration with a seed, in its directory
// (Config.OutDir).
type Job struct {
	Index, Point int
	Config       settings.Config
}

// Plan is a grid laid out as runs, in a fixed order: by path, then λ, then
// seed. The same grid always gives the same plan, so that separate
// processes (-index) and a later collection agree on it.
type Plan struct {
	Grid   Grid
	Points []Point
	Jobs   []Job
}

// NewPlan checks the grid and lays it out. Every error names the grid's
// value at fault: an empty grid, a λ that is not a valid strength, a value
// twice, a second axis over a setting that λ or the seeds set.
func NewPlan(g Grid) (*Plan, error) {
	if err := g.fill(); err != nil {
		return nil, err
	}
	paths := []string{""}
	if g.Vary.Setting != "" {
		paths = g.Vary.Values
	}
	p := &Plan{Grid: g}
	keys := map[string]bool{}
	var configs []settings.Config // Each point's configuration, to find one that occurs twice.
	for _, path := range paths {
		for _, lambda := range g.Lambdas {
			cfg, kind, err := g.config(path, lambda)
			if err != nil {
				return nil, err
			}
			pt := Point{Path: path, Lambda: lambda, Label: cfg.Label(), Key: g.key(kind, path, lambda)}
			// The same configuration on two paths (λ = 0 on each penalty's
			// path: no penalty at all) is run once, and both points read
			// its runs.
			if i := slices.IndexFunc(configs, func(c settings.Config) bool { return len(settings.Changes(c, cfg)) == 0 }); i >= 0 {
				pt.Key, pt.Jobs = p.Points[i].Key, p.Points[i].Jobs
				p.Points, configs = append(p.Points, pt), append(configs, cfg)
				continue
			}
			if keys[pt.Key] {
				return nil, fmt.Errorf("sweep: two configurations in one directory %s", pt.Key)
			}
			keys[pt.Key] = true
			for _, seed := range g.Seeds {
				c := cfg
				c.Seed, c.OutDir = seed, filepath.Join(g.Dir, pt.Key, fmt.Sprintf("seed-%d", seed))
				pt.Jobs = append(pt.Jobs, len(p.Jobs))
				p.Jobs = append(p.Jobs, Job{Index: len(p.Jobs), Point: len(p.Points), Config: c})
			}
			p.Points, configs = append(p.Points, pt), append(configs, cfg)
		}
	}
	return p, nil
}

// fill sets the grid's defaults and checks what does not depend on a
// configuration.
func (g *Grid) fill() error {
	if g.Dir == "" {
		return errors.New("sweep: no directory for the runs (-out DIR)")
	}
	if len(g.Lambdas) == 0 {
		return errors.New("sweep: empty grid: no λ to try (-lambda 1e-5,1e-4,…)")
	}
	if g.Kind == "" {
		g.Kind = "l1"
	}
	if len(g.Seeds) == 0 {
		g.Seeds = []uint64{g.Base.Seed}
	}
	if g.Base.Validation == 0 {
		g.Base.Validation = DefaultValidation
	}
	g.Base.NoTest = true // The sweep evaluates the configurations it chooses, and those alone.
	err := errors.Join(twice("λ", g.Lambdas, settings.Number),
		twice("seed", g.Seeds, func(s uint64) string { return strconv.FormatUint(s, 10) }))
	if g.Vary.Setting != "" && len(g.Vary.Values) == 0 {
		err = errors.Join(err, fmt.Errorf("empty grid: the axis %s has no value", g.Vary.Setting))
	}
	if g.Vary.Setting != "" {
		err = errors.Join(err, twice(g.Vary.Setting, g.Vary.Values, func(s string) string { return s }))
	}
	if !(g.Tolerance >= 0 && g.Tolerance < 1) { // NaN too.
		err = errors.Join(err, fmt.Errorf("tolerance = %v: want an accuracy in [0, 1) (0.01: one point)", g.Tolerance))
	}
	if err != nil {
		return fmt.Errorf("sweep: %w", err)
	}
	return nil
}

func twice[T comparable](name string, values []T, format func(T) string) error {
	for i, v := range values {
		if j := slices.Index(values, v); j >= 0 && j < i { // NaN is never found: it is refused later.
			return fmt.Errorf("%s = %s given twice", name, format(v))
		}
	}
	return nil
}

// set are the settings that λ and the grid's layout set: not a second axis.
var set = map[string]string{"l1": "λ", "l2": "λ", "alpha": "λ", "group-lasso": "λ", "seed": "the seeds (-seeds)",
	"out": "the sweep (a directory per run)"}

// config returns the configuration of a point and its penalty's kind.
func (g Grid) config(path string, lambda float64) (settings.Config, string, error) {
	cfg, kind := g.Base, g.Kind
	switch {
	case g.Vary.Setting == PenaltyAxis:
		kind = path
	case g.Vary.Setting != "":
		if by, ok := set[g.Vary.Setting]; ok {
			return cfg, "", fmt.Errorf("sweep: %s cannot be the second axis: it is set by %s", g.Vary.Setting, by)
		}
		s, ok := settings.ByFlag(g.Vary.Setting)
		if !ok {
			return cfg, "", fmt.Errorf("sweep: no setting %q to vary: want %s or a setting's flag (proximal, l1-ratio, lr, …)", g.Vary.Setting, PenaltyAxis)
		}
		if err := s.Set(&cfg, path); err != nil {
			return cfg, "", fmt.Errorf("sweep: %w", err)
		}
	}
	cfg.L1, cfg.L2, cfg.Alpha, cfg.GroupLasso = 0, 0, 0, 0
	switch kind {
	case "l1":
		cfg.L1 = lambda
	case "l2":
		cfg.L2 = lambda
	case "elastic-net":
		cfg.Alpha = lambda
	case "group-lasso":
		cfg.GroupLasso = lambda
	default:
		return cfg, "", fmt.Errorf("sweep: unknown penalty %q: want one of l1, l2, elastic-net, group-lasso", kind)
	}
	if err := cfg.Validate(); err != nil {
		return cfg, "", fmt.Errorf("sweep: λ = %v: %w", lambda, err)
	}
	return cfg, kind, nil
}

var unsafe = regexp.MustCompile(`[^A-Za-z0-9._+-]+`)

// key names a configuration's directory: the penalty, the second axis's
// value and λ, e.g. "l1-lambda-0.0001" or "l1-proximal-true-lambda-0.0001";
// λ = 0, whatever the penalty, is "no-penalty" (with the second axis's
// value: "no-penalty-proximal-true").
func (g Grid) key(kind, path string, lambda float64) string {
	axis := ""
	if g.Vary.Setting != "" && g.Vary.Setting != PenaltyAxis {
		axis = "-" + g.Vary.Setting + "-" + unsafe.ReplaceAllString(path, "_")
	}
	if lambda == 0 {
		return NoPenalty + axis
	}
	return kind + axis + "-lambda-" + strconv.FormatFloat(lambda, 'g', -1, 64)
}

// NoPenalty names the directory of a sweep's configuration of λ = 0: the
// network without a penalty, which every penalty's path shares. A run of the
// same settings there (regnb train -validation N -no-test -out
// OUT/no-penalty/seed-N) is not run again.
const NoPenalty = "no-penalty"
