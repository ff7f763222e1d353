// Command pngcheck checks that a screenshot of a rendered notebook shows a
// drawn plot: enough pixels in the colors of regnb's plot lines (gonum's
// plotutil palette), which neither text nor code highlighting use.
//
//	go run ./scripts/pngcheck shot.png
package main

import (
	"fmt"
	"image"
	"image/png"
	"os"

	"gonum.org/v1/plot/plotutil"
)

// minPixels is how many line-colored pixels make a plot (a 16 cm wide line
// is several hundred).
const minPixels = 300

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: pngcheck shot.png")
		os.Exit(2)
	}
	n, err := linePixels(os.Args[1])
	if err != nil {
		fmt.Fprintf(os.Stderr, "pngcheck: %v\n", err)
		os.Exit(1)
	}
	if n < minPixels {
		fmt.Fprintf(os.Stderr, "pngcheck: %s: the plot area is blank (%d pixels in plot-line colors, want ≥ %d)\n", os.Args[1], n, minPixels)
		os.Exit(1)
	}
	fmt.Printf("pngcheck: %s shows a plot (%d pixels in plot-line colors)\n", os.Args[1], n)
}

// linePixels counts the pixels close to one of the first three plot colors.
func linePixels(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	var palette [][3]int
	for i := range 3 {
		r, g, b, _ := plotutil.Color(i).RGBA()
		palette = append(palette, [3]int{int(r >> 8), int(g >> 8), int(b >> 8)})
	}
	return count(img, palette), nil
}

func count(img image.Image, palette [][3]int) int {
	n := 0
	bounds := img.Bounds()
	for y := bounds.Min.Y; y < bounds.Max.Y; y++ {
		for x := bounds.Min.X; x < bounds.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			for _, c := range palette {
				if abs(int(r>>8)-c[0]) < 24 && abs(int(g>>8)-c[1]) < 24 && abs(int(b>>8)-c[2]) < 24 {
					n++
					break
				}
			}
		}
	}
	return n
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
