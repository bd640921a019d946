// Sets of locs: one item per loc, and "does a loc overlap an item", each
// answered in time linear in the loc, however many items there are.

package problem

import (
	"encoding/binary"
	"fmt"
	"hash/maphash"
	"slices"
)

// seed keys the loc hashes: chosen per process, so a client cannot pick
// locs that collide (a collision would only cost a comparison anyway).
var seed = maphash.MakeSeed()

// locHash extends h, the hash of a loc's first elements, by x.
func locHash(h uint64, x any) uint64 {
	var b [17]byte
	binary.LittleEndian.PutUint64(b[:8], h)
	switch x := x.(type) {
	case string:
		b[8] = 's'
		binary.LittleEndian.PutUint64(b[9:], maphash.String(seed, x))
	case int:
		b[8] = 'i'
		binary.LittleEndian.PutUint64(b[9:], uint64(x))
	default:
		b[8] = 'o'
		binary.LittleEndian.PutUint64(b[9:], maphash.String(seed, fmt.Sprintf("%T\x00%v", x, x)))
	}
	return maphash.Bytes(seed, b[:])
}

// LocSet is a set of locs (or prefixes of locs). Its zero value is empty
// and ready. It keeps the locs it is given, which must not change.
type LocSet struct {
	m       map[uint64][]any // by hash: the first loc added with it
	more    [][]any          // the later locs whose hash was taken (never, in practice)
	counted map[uint64]struct{}
}

// Count records a loc that will not be listed, by its hash alone (no copy
// of it is kept), and reports whether it is new: neither added nor
// counted before. It is how errors past a limit are counted, each loc
// once, in constant memory per error.
func (s *LocSet) Count(loc []any) bool {
	h := hashOf(loc)
	if s.has(loc, h) {
		return false
	}
	if _, ok := s.counted[h]; ok {
		return false
	}
	if s.counted == nil {
		s.counted = make(map[uint64]struct{})
	}
	s.counted[h] = struct{}{}
	return true
}

// Add adds loc and reports whether it was new.
func (s *LocSet) Add(loc []any) bool {
	return s.add(loc, hashOf(loc))
}

// Has reports whether loc is in the set.
func (s *LocSet) Has(loc []any) bool {
	return s.has(loc, hashOf(loc))
}

// Len is the number of locs in the set.
func (s *LocSet) Len() int { return len(s.m) + len(s.more) }

// Reset empties the set, dropping a large one's memory (one hostile
// request must not keep it for the next).
func (s *LocSet) Reset() {
	if len(s.m) > 256 {
		s.m = nil
	} else {
		clear(s.m)
	}
	s.more, s.counted = nil, nil
}

func hashOf(loc []any) uint64 {
	var h uint64
	for _, x := range loc {
		h = locHash(h, x)
	}
	return h
}

func (s *LocSet) add(loc []any, h uint64) bool {
	if s.m == nil {
		s.m = make(map[uint64][]any)
	}
	if _, ok := s.m[h]; !ok {
		s.m[h] = loc
		return true
	}
	if s.has(loc, h) {
		return false
	}
	s.more = append(s.more, loc)
	return true
}

func (s *LocSet) has(loc []any, h uint64) bool {
	old, ok := s.m[h]
	if !ok {
		return false
	}
	return slices.Equal(old, loc) || slices.ContainsFunc(s.more, func(m []any) bool { return slices.Equal(m, loc) })
}

// Overlaps answers, for many locs, whether an item of a list is at the
// loc, inside it, or contains it: a rule failure there repeats (or follows
// from) that item's error. Build it with NewOverlaps.
type Overlaps struct {
	at    LocSet // the items' locs
	above LocSet // their proper prefixes
}

// NewOverlaps indexes the locs of items.
func NewOverlaps(items []Item) *Overlaps {
	o := &Overlaps{}
	for _, it := range items {
		o.Add(it.Loc)
	}
	return o
}

// Add indexes one more loc.
func (o *Overlaps) Add(loc []any) {
	var h uint64
	for n, x := range loc {
		o.above.add(loc[:n], h)
		h = locHash(h, x)
	}
	o.at.add(loc, h)
}

// Overlaps reports whether an indexed item is at loc, inside it, or
// contains it.
func (o *Overlaps) Overlaps(loc []any) bool {
	if o == nil || o.at.Len() == 0 {
		return false
	}
	var h uint64
	for n := 0; ; n++ {
		if o.at.has(loc[:n], h) {
			return true // an item at loc, or containing it
		}
		if n == len(loc) {
			return o.above.has(loc, h) // an item inside loc
		}
		h = locHash(h, loc[n])
	}
}
