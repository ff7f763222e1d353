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
	"gonum.org/v1/gonum/mat"

	"github.com/regnb/regnb/regularizers"
)

// ElasticNetPath computes the coefficients of the linear model y ≈ X·w that
// minimize, for each α in alphas (in the order given; decreasing is best),
//
//	1/(2n)·|y − X·w|² + α·ρ·Σ|w| + ½·α·(1−ρ)·Σw²
//
// — scikit-learn's ElasticNet objective, ρ = l1Ratio (1: the Lasso) — with
// GoMLX: gradient steps of size 1/L on the squared error (L = σ_max(X)²/n,
// the largest eigenvalue of XᵀX/n and the Lipschitz constant of the squared
// error's gradient; σ_max(X) from gonum's SVD) followed by the proximal step of
// [regularizers.ProximalElasticNet] (proximal gradient descent, ISTA), warm
// started from the previous α, until no coefficient moves by more than tol.
// The strengths of the proximal step are λ1, λ2 =
// [regularizers.ElasticNetStrengths](α, ρ).
// X is n×p (rows are examples); the result is one p-vector per α.
func ElasticNetPath(backend compute.Backend, x [][]float64, y []float64, l1Ratio float64, alphas []float64, tol float64) ([][]float64, error) {
	n := len(x)
	flat, p, err := flatten(x, y)
	if err != nil {
		return nil, err
	}
	strengths := make([][2]float64, len(alphas))
	for i, alpha := range alphas {
		l1, l2, err := regularizers.ElasticNetStrengths(alpha, l1Ratio)
		if err != nil {
			return nil, err
		}
		strengths[i] = [2]float64{l1, l2}
	}
	lipschitz, err := largestEigenvalue(flat, n, p)
	if err != nil {
		return nil, err
	}
	step := 1 / lipschitz
	xt := tensors.FromFlatDataAndDimensions(flat, n, p)
	yt := tensors.FromFlatDataAndDimensions(append([]float64(nil), y...), n)

	store := model.NewStore()
	coef, err := store.CreateVariable("/w", tensors.FromValue(make([]float64, p)))
	if err != nil {
		return nil, err
	}
	sgd := optimizer.StochasticGradientDescent().WithLearningRate(step).WithDecay(false).Done()
	var path [][]float64
	for _, lambda := range strengths {
		if err := proximalDescent(backend, store, coef, sgd, lambda, xt, yt, tol); err != nil {
			return nil, err
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

// proximalDescent runs proximal gradient steps on the least-squares loss
// ‖Xw − y‖²/(2n), each followed by the Elastic Net's soft-threshold of
// strengths lambda, until no coefficient moves by more than tol (at most
// 100 000 steps).
func proximalDescent(backend compute.Backend, store *model.Store, coef *model.Variable, sgd optimizer.Interface,
	lambda [2]float64, xt, yt *tensors.Tensor, tol float64) error {
	prox, err := regularizers.ProximalElasticNet(lambda[0], lambda[1])
	if err != nil {
		return err
	}
	n := xt.Shape().Dimensions[0]
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
		return err
	}
	for range 100000 {
		out, err := exec.Call(xt, yt)
		if err != nil {
			return err
		}
		if out[0].Value().(float64) <= tol {
			break
		}
	}
	return nil
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

// largestEigenvalue returns the largest eigenvalue of XᵀX/n, σ_max(X)²/n,
// for the n×p matrix X stored row by row in flat (left unchanged).
func largestEigenvalue(flat []float64, n, p int) (float64, error) {
	var svd mat.SVD
	if !svd.Factorize(mat.NewDense(n, p, flat), mat.SVDNone) {
		return 0, fmt.Errorf("elastic net path: the SVD of x did not converge")
	}
	sigma := svd.Values(nil)[0] // Singular values in decreasing order.
	if sigma == 0 || math.IsNaN(sigma) || math.IsInf(sigma, 0) {
		return 0, fmt.Errorf("elastic net path: x has largest singular value %v: want a finite, non-zero x", sigma)
	}
	return sigma * sigma / float64(n), nil
}
