package httpstatus

import "testing"

func TestBodyAllowed(t *testing.T) {
	for status, want := range map[int]bool{
		100: false, 101: false, 103: false, 199: false,
		200: true, 201: true, 204: false, 205: false, 206: true,
		301: true, 304: false, 404: true, 422: true, 500: true,
	} {
		if got := BodyAllowed(status); got != want {
			t.Errorf("BodyAllowed(%d) = %v, want %v", status, got, want)
		}
	}
}

func TestInformationalAndInterim(t *testing.T) {
	for _, c := range []struct {
		status        int
		info, interim bool
	}{
		{99, false, false}, {100, true, true}, {101, true, false}, {103, true, true},
		{199, true, true}, {200, false, false}, {204, false, false},
	} {
		if got := Informational(c.status); got != c.info {
			t.Errorf("Informational(%d) = %v, want %v", c.status, got, c.info)
		}
		if got := Interim(c.status); got != c.interim {
			t.Errorf("Interim(%d) = %v, want %v", c.status, got, c.interim)
		}
	}
}
