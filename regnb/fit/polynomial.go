// Package fit fits small models with GoMLX outside the MNIST experiments: a
// polynomial through a few noisy points, with or without a penalty (the
// tutorial's opening figure), and the Elastic Net / Lasso path of a linear
// model by proximal gradient descent (checked against scikit-learn).
package fit

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/regularizers"
)

// Points is a small regression data set.
type Points struct{ X, Y []float64 }

// NoisyPoints returns n points of a gentle curve, y = sin(1.5·x) + x/2 on
// x ∈ [−1, 1], with Gaussian noise of standard deviation noise (seeded).
func NoisyPoints(n int, noise float64, seed uint64) Points {
	rng := rand.New(rand.NewPCG(seed, 7))
	p := Points{}
	for i := range n {
		x := -1 + 2*(float64(i)+0.5)/float64(n) + 0.04*(rng.Float64()-0.5)
		p.X = append(p.X, x)
		p.Y = append(p.Y, math.Sin(1.5*x)+x/2+noise*rng.NormFloat64())
	}
	return p
}

// Polynomial is a fitted polynomial in the Chebyshev basis on [−1, 1]:
// p(x) = Σ_k C[k]·T_k(x). (Chebyshev polynomials keep the fit well
// conditioned; the penalties act on the coefficients C.)
type Polynomial struct {
	C     []float64
	Label string
}

// Eval returns p(x).
func (p Polynomial) Eval(x float64) float64 {
	t0, t1 := 1.0, x
	y := 0.0
	for k, c := range p.C {
		switch k {
		case 0:
			y += c * t0
		case 1:
			y += c * t1
		default:
			t0, t1 = t1, 2*x*t1-t0
			y += c * t1
		}
	}
	return y
}

// chebyshev returns the [n, degree+1] matrix of T_k(x_i).
func chebyshev(xs []float64, degree int) []float32 {
	m := make([]float32, len(xs)*(degree+1))
	for i, x := range xs {
		p := Polynomial{C: make([]float64, degree+1)}
		for k := range degree + 1 {
			p.C[k] = 1
			m[i*(degree+1)+k] = float32(p.Eval(x))
			p.C[k] = 0
		}
	}
	return m
}

// FitPolynomial fits a polynomial of the given degree (degree+1 degrees of
// freedom) to the points with GoMLX: mean squared error plus penalty (may be
// nil) on the coefficients, minimized by Adam (learning rate 0.05) for steps
// full-batch steps.
func FitPolynomial(backend compute.Backend, pts Points, degree int, penalty regularizers.Regularizer, steps int) (Polynomial, error) {
	if degree < 0 || len(pts.X) == 0 || len(pts.X) != len(pts.Y) {
		return Polynomial{}, fmt.Errorf("fit: degree %d with %d x and %d y values", degree, len(pts.X), len(pts.Y))
	}
	store := model.NewStore()
	coef, err := store.CreateVariable("/coefficients", tensors.FromValue(make([]float32, degree+1)))
	if err != nil {
		return Polynomial{}, err
	}
	opt := optimizer.Adam().LearningRate(0.05).Done()
	exec, err := model.NewExec(backend, store, func(scope *model.Scope, basis, y *graph.Node) *graph.Node {
		g := basis.Graph()
		pred := graph.Dot(basis, coef.NodeValue(g)).Product()
		mse := graph.ReduceAllMean(graph.Square(graph.Sub(pred, y)))
		train.AddMainLoss(mse)
		if penalty != nil {
			penalty(g, coef)
		}
		opt.UpdateGraph(scope, g, train.TotalLoss(g))
		train.ExecPerStepUpdateGraphFn(g)
		return mse
	})
	if err != nil {
		return Polynomial{}, err
	}
	ys := make([]float32, len(pts.Y))
	for i, y := range pts.Y {
		ys[i] = float32(y)
	}
	basis := tensors.FromFlatDataAndDimensions(chebyshev(pts.X, degree), len(pts.X), degree+1)
	target := tensors.FromFlatDataAndDimensions(ys, len(ys))
	for range steps {
		if _, err := exec.Call(basis, target); err != nil {
			return Polynomial{}, err
		}
	}
	value, err := coef.Value()
	if err != nil {
		return Polynomial{}, err
	}
	c, err := regularizers.Float64s(value)
	if err != nil {
		return Polynomial{}, err
	}
	return Polynomial{C: c, Label: fmt.Sprintf("degree %d", degree)}, nil
}
