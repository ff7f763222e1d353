package regularizers_test

import (
	"encoding/json"
	"math"
	"os"
	"testing"

	"github.com/gomlx/gomlx/core/graph"
	"github.com/gomlx/gomlx/ml/model"
	"github.com/gomlx/gomlx/ml/train"
	"github.com/gomlx/gomlx/ml/train/optimizer"
	"github.com/stretchr/testify/require"

	"github.com/regnb/regnb/regularizers"
)

// torchDecay is testdata/torch_decay.json, written by scripts/decay_reference.py.
type torchDecay struct {
	Generator string      `json:"generator"`
	X         [][]float64 `json:"x"`
	Y         [][]float64 `json:"y"`
	Weights   [][]float64 `json:"weights"`
	Biases    []float64   `json:"biases"`
	LR        float64     `json:"lr"`
	WD        float64     `json:"wd"`
	Cases     []struct {
		Kind  string  `json:"kind"`
		C     float64 `json:"c"`
		Steps []struct {
			Weights [][]float64 `json:"weights"`
			Biases  []float64   `json:"biases"`
		} `json:"steps"`
	} `json:"cases"`
}

// The decays under GoMLX's Adam against PyTorch's Adam(weight_decay) (coupled)
// and AdamW (decoupled), step by step, with the loss multiplied by 1, 3 and 0.5.
func TestDecaysMatchPyTorch(t *testing.T) {
	raw, err := os.ReadFile("testdata/torch_decay.json")
	require.NoError(t, err)
	var ref torchDecay
	require.NoError(t, json.Unmarshal(raw, &ref))
	require.NotEmpty(t, ref.Cases)

	for _, tc := range ref.Cases {
		var reg regularizers.Regularizer
		switch tc.Kind {
		case "coupled":
			reg = regularizers.Must(regularizers.CoupledWeightDecay(ref.WD))
		case "decoupled":
			reg = regularizers.Must(regularizers.DecoupledWeightDecay(ref.WD))
		default:
			t.Fatalf("unknown kind %q", tc.Kind)
		}
		store := model.NewStore()
		w := store.VariableWithValue("/dense/weights", ref.Weights)
		b := store.VariableWithValue("/dense/biases", ref.Biases)
		adam := optimizer.Adam().LearningRate(ref.LR).Betas(0.9, 0.999).Epsilon(1e-8).Done()
		exec, err := model.NewExec(newBackend(t), store, func(scope *model.Scope, g *graph.Graph) *graph.Node {
			x, y := graph.Const(g, ref.X), graph.Const(g, ref.Y)
			wv, bv := w.NodeValue(g), b.NodeValue(g)
			pred := graph.Add(graph.DotGeneral(x, []int{1}, nil, wv, []int{1}, nil), graph.InsertAxes(bv, 0))
			data := graph.MulScalar(graph.ReduceAllMean(graph.Square(graph.Sub(pred, y))), tc.C)
			train.AddMainLoss(data)
			reg(g, w, b)
			adam.UpdateGraph(scope, g, train.TotalLoss(g))
			train.ExecPerStepUpdateGraphFn(g)
			return graph.Identity(data)
		})
		require.NoError(t, err)
		for step, want := range tc.Steps {
			_, err := exec.Call()
			require.NoError(t, err)
			gotW := w.MustValue().Value().([][]float64)
			gotB := b.MustValue().Value().([]float64)
			for i := range want.Weights {
				for j := range want.Weights[i] {
					require.InDelta(t, want.Weights[i][j], gotW[i][j], 1e-9*(1+math.Abs(want.Weights[i][j])),
						"%s decay, loss × %g, step %d, weights[%d][%d] (%s)", tc.Kind, tc.C, step+1, i, j, ref.Generator)
				}
			}
			for i := range want.Biases {
				require.InDelta(t, want.Biases[i], gotB[i], 1e-9*(1+math.Abs(want.Biases[i])),
					"%s decay, loss × %g, step %d, biases[%d]", tc.Kind, tc.C, step+1, i)
			}
		}
	}
}
