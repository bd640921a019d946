package bench

import "testing"

// Run: go test -run '^$' -bench . -benchmem -count 6 (see run.sh).

func BenchmarkS1(b *testing.B)  { benchScenario(b, "S1") }
func BenchmarkS1b(b *testing.B) { benchScenario(b, "S1b") }
func BenchmarkS2(b *testing.B)  { benchScenario(b, "S2") }
func BenchmarkS2b(b *testing.B) { benchScenario(b, "S2b") }
func BenchmarkS3(b *testing.B)  { benchScenario(b, "S3") }
func BenchmarkS4(b *testing.B)  { benchScenario(b, "S4") }
