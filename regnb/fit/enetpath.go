package fit

import (
	"fmt"
	"math"

	"github.com/gomlx/compute"
	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/core/tensors"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"

	"github.com/regnb/regnb/regularizers"
)

// ElasticNetPath computes the coefficients of the linear model y ≈ X·w that
// minimize, for each α in alphas (in the order given; decreasing is best),
//
//	1/(2n)·|y − X·w|² + α·ρ·Σ|w| + ½·α·(1−ρ)·Σw²
//
// — scikit-learn's ElasticNet objective, ρ = l1Ratio (1: the Lasso) — with
// GoMLX: gradient steps of size 1/L on the squared error (L the largest
// eigenvalue of XᵀX/n) followed by the proximal step of
// [regularizers.ProximalElasticNet] (proximal gradient descent, ISTA), warm
// started from the previous α, until no coefficient moves by more than tol.
// X is n×p (rows are examples); the result is one p-vector per α.
func ElasticNetPath(backend compute.Backend, x [][]float64, y []float64, l1Ratio float64, alphas []float64, tol float64) ([][]float64, error) {
	n := len(x)
	flat, p, err := flatten(x, y)
	if err != nil {
		return nil, err
	}
	step := 1 / largestEigenvalue(x)
	xt := tensors.FromFlatDataAndDimensions(flat, n, p)
	yt := tensors.FromFlatDataAndDimensions(append([]float64(nil), y...), n)

	if _, err := regularizers.ElasticNetAlpha(0, l1Ratio); err != nil { // Checks the ratio.
		return nil, err
	}
	store := model.NewStore()
	coef, err := store.CreateVariable("/w", tensors.FromValue(make([]float64, p)))
	if err != nil {
		return nil, err
	}
	sgd := optimizer.StochasticGradientDescent().WithLearningRate(step).WithDecay(false).Done()
	var path [][]float64
	for _, alpha := range alphas {
		prox, err := regularizers.ProximalElasticNet(alpha*l1Ratio, 0.5*alpha*(1-l1Ratio))
		if err != nil {
			return nil, err
		}
		exec, err := model.NewExec(backend, store, func(scope *model.Scope, x, y *graph.Node) *graph.Node {
			g := x.Graph()
			w := coef.NodeValue(g)
			residual := graph.Sub(graph.Dot(x, w).Product(), y)
			train.AddMainLoss(graph.DivScalar(graph.ReduceAllSum(graph.Square(residual)), float64(2*n)))
			prox(g, coef) // Registers the proximal step, run after the gradient step.
			sgd.UpdateGraph(scope, g, train.TotalLoss(g))
			train.ExecPerStepUpdateGraphFn(g)
			return graph.ReduceAllMax(graph.Abs(graph.Sub(coef.NodeValue(g), w)))
		})
		if err != nil {
			return nil, err
		}
		for range 100000 {
			out, err := exec.Call(xt, yt)
			if err != nil {
				return nil, err
			}
			if out[0].Value().(float64) <= tol {
				break
			}
		}
		value, err := coef.Value()
		if err != nil {
			return nil, err
		}
		w, err := regularizers.Float64s(value)
		if err != nil {
			return nil, err
		}
		path = append(path, w)
	}
	return path, nil
}

// flatten returns the rows of x one after the other, and their length.
func flatten(x [][]float64, y []float64) ([]float64, int, error) {
	n := len(x)
	if n == 0 || len(y) != n {
		return nil, 0, fmt.Errorf("elastic net path: %d rows of x, %d values of y", n, len(y))
	}
	p := len(x[0])
	flat := make([]float64, 0, n*p)
	for i, row := range x {
		if len(row) != p {
			return nil, 0, fmt.Errorf("elastic net path: row %d has %d columns, want %d", i, len(row), p)
		}
		flat = append(flat, row...)
	}
	return flat, p, nil
}

// largestEigenvalue returns the largest eigenvalue of XᵀX/n, by power iteration.
func largestEigenvalue(x [][]float64) float64 {
	p := len(x[0])
	v := make([]float64, p)
	for i := range v {
		v[i] = 1 / math.Sqrt(float64(p))
	}
	lambda := 0.0
	for range 1000 {
		xv := make([]float64, len(x))
		for i, row := range x {
			for j, a := range row {
				xv[i] += a * v[j]
			}
		}
		next := make([]float64, p)
		for i, row := range x {
			for j, a := range row {
				next[j] += a * xv[i] / float64(len(x))
			}
		}
		norm := 0.0
		for _, a := range next {
			norm += a * a
		}
		norm = math.Sqrt(norm)
		for j := range next {
			next[j] /= norm
		}
		v = next
		if math.Abs(norm-lambda) < 1e-12*norm {
			return norm
		}
		lambda = norm
	}
	return lambda
}
