// Command benchtable turns `go test -bench` output of this module into the
// markdown tables of docs/performance.md: per scenario, each
// implementation's median ns/op (and cpu-ns/op) as a ratio to hand-written
// chi's (below 1 is faster than chi), allocs/op in brackets; then the
// medians themselves with their spread.
//
//	go run ./cmd/benchtable bench.txt
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// name matches "BenchmarkS1/fw=chi-2"; the value/unit pairs follow.
var name = regexp.MustCompile(`^Benchmark(\w+)/fw=([\w-]+?)(?:-\d+)?$`)

// samples holds one implementation's values on one scenario, by unit.
type samples map[string][]float64

func main() {
	var in io.Reader = os.Stdin
	if len(os.Args) > 1 {
		f, err := os.Open(os.Args[1])
		if err != nil {
			fmt.Fprintln(os.Stderr, "benchtable:", err)
			os.Exit(1)
		}
		defer f.Close()
		in = f
	}
	data := map[string]map[string]samples{}
	var scenarios, impls []string
	sc := bufio.NewScanner(in)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) < 4 {
			continue
		}
		m := name.FindStringSubmatch(fields[0])
		if m == nil {
			continue
		}
		s, impl := m[1], m[2]
		if data[s] == nil {
			data[s] = map[string]samples{}
			scenarios = append(scenarios, s)
		}
		if data[s][impl] == nil {
			data[s][impl] = samples{}
			if !contains(impls, impl) {
				impls = append(impls, impl)
			}
		}
		for i := 2; i+1 < len(fields); i += 2 { // fields[1] is the iteration count
			data[s][impl][fields[i+1]] = append(data[s][impl][fields[i+1]], num(fields[i]))
		}
	}
	if len(scenarios) == 0 {
		fmt.Fprintln(os.Stderr, "benchtable: no benchmark lines of the form BenchmarkSx/fw=impl")
		os.Exit(1)
	}
	base := impls[0]

	ratios := func(unit, what string) {
		fmt.Printf("%s: ratio of the median to %s's (below 1 = faster), allocs/op in brackets.\n\n", what, base)
		fmt.Printf("| scenario | %s |\n|---|%s\n", strings.Join(impls, " | "), strings.Repeat("---|", len(impls)))
		for _, s := range scenarios {
			cells := make([]string, len(impls))
			b := data[s][base]
			for i, impl := range impls {
				d := data[s][impl]
				switch {
				case d == nil || len(d[unit]) == 0:
					cells[i] = "—"
				case impl == base || b == nil || len(b[unit]) == 0:
					cells[i] = fmt.Sprintf("%s (%s)", duration(median(d[unit])), count(d["allocs/op"]))
				default:
					cells[i] = fmt.Sprintf("%.2f (%s)", median(d[unit])/median(b[unit]), count(d["allocs/op"]))
				}
			}
			fmt.Printf("| %s | %s |\n", s, strings.Join(cells, " | "))
		}
		fmt.Println()
	}
	ratios("ns/op", "Wall time (ns/op)")
	if hasUnit(data, "cpu-ns/op") {
		ratios("cpu-ns/op", "CPU time per request (cpu-ns/op, all threads)")
	}

	fmt.Printf("Medians and spread (n = samples per implementation and scenario; spread = (max - min) / median, over the samples).\n\n")
	fmt.Printf("| scenario | impl | ns/op | spread | cpu-ns/op | spread | B/op | allocs/op | n |\n|---|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, s := range scenarios {
		for _, impl := range impls {
			d := data[s][impl]
			if d == nil {
				continue
			}
			fmt.Printf("| %s | %s | %s | %s | %s | %s | %s | %s | %d |\n", s, impl, count(d["ns/op"]), spread(d["ns/op"]),
				count(d["cpu-ns/op"]), spread(d["cpu-ns/op"]), count(d["B/op"]), count(d["allocs/op"]), len(d["ns/op"]))
		}
	}
	if s4 := data["S4"]; s4 != nil && s4["brisk"] != nil && s4["nethttp"] != nil {
		fmt.Printf("\nS4, Brisk against bare gzhttp on net/http: %.2f (wall), %.2f (CPU)\n",
			median(s4["brisk"]["ns/op"])/median(s4["nethttp"]["ns/op"]),
			median(s4["brisk"]["cpu-ns/op"])/median(s4["nethttp"]["cpu-ns/op"]))
	}
}

func hasUnit(data map[string]map[string]samples, unit string) bool {
	for _, byImpl := range data {
		for _, d := range byImpl {
			if len(d[unit]) > 0 {
				return true
			}
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func num(s string) float64 {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		panic(err)
	}
	return f
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// spread is the samples' range relative to their median, as a percentage:
// a ratio of two medians whose spreads are wider than its distance from 1
// says nothing.
func spread(xs []float64) string {
	if len(xs) < 2 {
		return "—"
	}
	lo, hi := slices.Min(xs), slices.Max(xs)
	m := median(xs)
	if m == 0 {
		return "—"
	}
	return fmt.Sprintf("%.0f %%", 100*(hi-lo)/m)
}

func count(xs []float64) string {
	if len(xs) == 0 {
		return "?"
	}
	return strconv.FormatFloat(median(xs), 'f', 0, 64)
}

func duration(ns float64) string {
	switch {
	case ns >= 1e6:
		return fmt.Sprintf("%.1f ms", ns/1e6)
	case ns >= 1e4:
		return fmt.Sprintf("%.0f µs", ns/1e3)
	}
	return fmt.Sprintf("%.0f ns", ns)
}
