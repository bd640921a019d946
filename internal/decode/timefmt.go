// Times and durations from parameter text, as pydantic reads them:
// RFC 3339 datetimes, dates, Unix timestamps, ISO 8601 and clock durations,
// with speedate's reasons when they fail.

package decode

import (
	"math"
	"strconv"
	"time"
	"unsafe"
)

// speedate's reasons (its ParseError documentation, which pydantic puts in
// its messages and in ctx["error"]).
const (
	errTooShort          = "input is too short"
	errExtraCharacters   = "unexpected extra characters at the end of the input"
	errCharYear          = "invalid character in year"
	errCharDateSep       = "invalid date separator, expected `-`"
	errCharMonth         = "invalid character in month"
	errCharDay           = "invalid character in day"
	errRangeMonth        = "month value is outside expected range of 1-12"
	errRangeDay          = "day value is outside expected range"
	errDateTooSmall      = "dates before 1600 are not supported as unix timestamps"
	errDateTooLarge      = "dates after 9999 are not supported as unix timestamps"
	errCharTimeSep       = "invalid time separator, expected `:`"
	errCharHour          = "invalid character in hour"
	errCharMinute        = "invalid character in minute"
	errCharSecond        = "invalid character in second"
	errRangeHour         = "hour value is outside expected range of 0-23"
	errRangeMinute       = "minute value is outside expected range of 0-59"
	errRangeSecond       = "second value is outside expected range of 0-59"
	errFractionMissing   = "second fraction digits missing after `.`"
	errDurationNumber    = "invalid digit in duration"
	errDurationTRepeated = "`t` character repeated in duration"
	errDurationFraction  = "quantity fraction invalid in duration"
	errDurationTimeUnit  = "quantity invalid in time part of duration"
	errDurationDateUnit  = "quantity invalid in date part of duration"
	errDurationDays      = "\"day\" identifier in duration not correctly formatted"
	errDurationTooLarge  = "a numeric value in the duration is too large"
	errDurationDaysLarge = "durations may not exceed 999,999,999 days"
)

const (
	unix1600    = -11_676_096_000 // 1600-01-01T00:00:00Z
	unix9999    = 253_402_300_799 // 9999-12-31T23:59:59Z
	msWatershed = 20_000_000_000  // timestamps beyond this magnitude are milliseconds
)

// ParseTime reads s as a time.Time parameter is read (see the package
// documentation): RFC 3339 and pydantic's looser datetimes, a date alone
// (midnight UTC), or a Unix timestamp. A failure is pydantic's *Error.
func ParseTime(s string) (time.Time, *Error) {
	var t time.Time
	if e := decodeTime(s, unsafe.Pointer(&t)); e != nil {
		return time.Time{}, e
	}
	return t, nil
}

func decodeTime(s string, p unsafe.Pointer) *Error {
	t, year0, ok := parseDateTime(s)
	if year0 {
		return reasonError("datetime_parsing", "Input should be a valid datetime, ", "year 0 is out of range")
	}
	if !ok {
		return reasonError("datetime_from_date_parsing", "Input should be a valid datetime or date, ", dateReason(s))
	}
	*(*time.Time)(p) = t
	return nil
}

// parseDateTime reads the forms documented on the package. year0 reports a
// well-formed value in year 0, which pydantic rejects on its own terms.
func parseDateTime(s string) (t time.Time, year0, ok bool) {
	if len(s) < 10 || parseDate(s[:10]) != "" {
		t, ok = parseTimestamp(s)
		return t, false, ok
	}
	year := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	month := time.Month((s[5]-'0')*10 + s[6] - '0')
	day := int((s[8]-'0')*10 + s[9] - '0')
	hour, minute, sec, nsec := 0, 0, 0, 0
	loc := time.UTC
	if len(s) > 10 {
		if c := s[10]; c != 'T' && c != 't' && c != ' ' && c != '_' {
			return time.Time{}, false, false
		}
		var n int
		var reason string
		hour, minute, sec, nsec, n, reason = parseClock(s[11:])
		if reason != "" {
			return time.Time{}, false, false
		}
		switch rest := s[11+n:]; rest {
		case "", "Z", "z":
		default:
			offset, ok := parseZone(rest)
			if !ok {
				return time.Time{}, false, false
			}
			if offset != 0 {
				loc = time.FixedZone("", offset)
			}
		}
	}
	if year == 0 {
		return time.Time{}, true, false
	}
	return time.Date(year, month, day, hour, minute, sec, nsec, loc), false, true
}

// parseDate checks "YYYY-MM-DD" (exactly ten bytes) and returns speedate's
// reason when it is not a date, "" when it is.
func parseDate(s string) string {
	if len(s) < 10 {
		return errTooShort
	}
	for i := 0; i < 4; i++ {
		if !isDigit(s[i]) {
			return errCharYear
		}
	}
	if s[4] != '-' {
		return errCharDateSep
	}
	if !isDigit(s[5]) || !isDigit(s[6]) {
		return errCharMonth
	}
	if s[7] != '-' {
		return errCharDateSep
	}
	if !isDigit(s[8]) || !isDigit(s[9]) {
		return errCharDay
	}
	year := int(s[0]-'0')*1000 + int(s[1]-'0')*100 + int(s[2]-'0')*10 + int(s[3]-'0')
	month := int(s[5]-'0')*10 + int(s[6]-'0')
	day := int(s[8]-'0')*10 + int(s[9]-'0')
	var max int
	switch month {
	case 1, 3, 5, 7, 8, 10, 12:
		max = 31
	case 4, 6, 9, 11:
		max = 30
	case 2:
		max = 28
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			max = 29
		}
	default:
		return errRangeMonth
	}
	if day < 1 || day > max {
		return errRangeDay
	}
	return ""
}

// dateReason is speedate's reason why s is not a date (Date::parse_bytes),
// which pydantic reports when s is neither a datetime nor a date.
func dateReason(s string) string {
	if reason := parseDate(s); reason != "" {
		if ts, ok := parseIntTimestamp(s); ok {
			if ts < unix1600 {
				return errDateTooSmall
			}
			if ts > unix9999 {
				return errDateTooLarge
			}
		}
		return reason
	}
	return errExtraCharacters
}

// parseIntTimestamp reads an integer timestamp (seconds, or milliseconds
// beyond msWatershed) and returns it in seconds.
func parseIntTimestamp(s string) (int64, bool) {
	if s == "" {
		return 0, false
	}
	body := s
	if body[0] == '-' || body[0] == '+' {
		body = body[1:]
	}
	if body == "" {
		return 0, false
	}
	for i := 0; i < len(body); i++ {
		if !isDigit(body[i]) {
			return 0, false
		}
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err != nil {
		if s[0] == '-' {
			return math.MinInt64, true
		}
		return math.MaxInt64, true
	}
	if v > msWatershed || v < -msWatershed {
		v = floorDiv(v, 1000)
	}
	return v, true
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

// parseTimestamp reads a Unix timestamp: an integer or a decimal number of
// seconds, or of milliseconds when its magnitude exceeds msWatershed.
func parseTimestamp(s string) (time.Time, bool) {
	if ts, ok := parseIntTimestamp(s); ok {
		if ts < unix1600 || ts > unix9999 {
			return time.Time{}, false
		}
		v, _ := strconv.ParseInt(s, 10, 64)
		if v > msWatershed || v < -msWatershed {
			return time.UnixMilli(v).UTC(), true
		}
		return time.Unix(v, 0).UTC(), true
	}
	if !isDecimal(s) {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, false
	}
	if math.Abs(f) > msWatershed {
		f /= 1000
	}
	if f < unix1600 || f >= unix9999+1 {
		return time.Time{}, false
	}
	sec := math.Floor(f)
	usec := math.Round((f - sec) * 1e6)
	return time.Unix(int64(sec), int64(usec)*1000).UTC(), true
}

// isDecimal reports whether s is [sign] digits [. digits] with at least one
// digit.
func isDecimal(s string) bool {
	if s != "" && (s[0] == '-' || s[0] == '+') {
		s = s[1:]
	}
	digits, dot := 0, false
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case isDigit(c):
			digits++
		case c == '.' && !dot:
			dot = true
		default:
			return false
		}
	}
	return digits > 0
}

// parseClock reads "HH:MM[:SS[(.|,)fraction]]" at the start of s and returns
// the time, the bytes read, or speedate's reason.
func parseClock(s string) (hour, minute, sec, nsec, n int, reason string) {
	if len(s) < 5 {
		return 0, 0, 0, 0, 0, errTooShort
	}
	if !isDigit(s[0]) || !isDigit(s[1]) {
		return 0, 0, 0, 0, 0, errCharHour
	}
	if s[2] != ':' {
		return 0, 0, 0, 0, 0, errCharTimeSep
	}
	if !isDigit(s[3]) || !isDigit(s[4]) {
		return 0, 0, 0, 0, 0, errCharMinute
	}
	hour = int(s[0]-'0')*10 + int(s[1]-'0')
	minute = int(s[3]-'0')*10 + int(s[4]-'0')
	if hour > 23 {
		return 0, 0, 0, 0, 0, errRangeHour
	}
	if minute > 59 {
		return 0, 0, 0, 0, 0, errRangeMinute
	}
	n = 5
	if len(s) == 5 || s[5] != ':' {
		return hour, minute, 0, 0, n, ""
	}
	if len(s) < 8 || !isDigit(s[6]) || !isDigit(s[7]) {
		return 0, 0, 0, 0, 0, errCharSecond
	}
	sec = int(s[6]-'0')*10 + int(s[7]-'0')
	if sec > 59 {
		return 0, 0, 0, 0, 0, errRangeSecond
	}
	n = 8
	if len(s) > 8 && (s[8] == '.' || s[8] == ',') {
		n = 9
		digits := 0
		for n < len(s) && isDigit(s[n]) {
			if digits < 9 {
				nsec = nsec*10 + int(s[n]-'0')
			}
			digits++
			n++
		}
		if digits == 0 {
			return 0, 0, 0, 0, 0, errFractionMissing
		}
		for ; digits < 9; digits++ {
			nsec *= 10
		}
	}
	return hour, minute, sec, nsec, n, ""
}

// parseZone reads "±HH:MM" or "±HHMM" (also with U+2212 MINUS SIGN) and
// returns the offset in seconds east of UTC.
func parseZone(s string) (int, bool) {
	sign := 1
	switch {
	case s[0] == '+':
		s = s[1:]
	case s[0] == '-':
		sign = -1
		s = s[1:]
	case len(s) >= 3 && s[:3] == "\u2212":
		sign = -1
		s = s[3:]
	default:
		return 0, false
	}
	switch {
	case len(s) == 5 && s[2] == ':':
		s = s[:2] + s[3:]
	case len(s) == 4:
	default:
		return 0, false
	}
	for i := 0; i < 4; i++ {
		if !isDigit(s[i]) {
			return 0, false
		}
	}
	h := int(s[0]-'0')*10 + int(s[1]-'0')
	m := int(s[2]-'0')*10 + int(s[3]-'0')
	if m > 59 || h > 23 {
		return 0, false
	}
	return sign * (h*3600 + m*60), true
}

// ParseDuration reads s as a time.Duration parameter is read (see the
// package documentation): pydantic's timedelta formats, Go's syntax, or a
// number of seconds. A failure is a "time_delta_parsing" *Error.
func ParseDuration(s string) (time.Duration, *Error) {
	var d time.Duration
	if e := decodeDuration(s, unsafe.Pointer(&d)); e != nil {
		return 0, e
	}
	return d, nil
}

func decodeDuration(s string, p unsafe.Pointer) *Error {
	d, reason := parseDuration(s)
	if reason != "" {
		return reasonError("time_delta_parsing", "Input should be a valid timedelta, ", reason)
	}
	*(*time.Duration)(p) = d
	return nil
}

// parseDuration reads a plain number of seconds, pydantic's (speedate's)
// formats, or Go's; the reason is speedate's.
func parseDuration(s string) (time.Duration, string) {
	if isDecimal(s) {
		f, err := strconv.ParseFloat(s, 64)
		if err != nil || math.Abs(f) >= float64(math.MaxInt64)/1e9 {
			return 0, errDurationTooLarge
		}
		return time.Duration(math.Round(f * 1e9)), ""
	}
	d, reason := parseSpeedateDuration(s)
	if reason == "" {
		return d, ""
	}
	if gd, err := time.ParseDuration(s); err == nil {
		return gd, ""
	}
	return 0, reason
}

// span is a duration as speedate holds it while parsing.
type span struct {
	day, second, micro uint64
}

const maxU32 = math.MaxUint32

func (sp *span) normalize() string {
	if sp.micro >= 1_000_000 {
		sp.second += sp.micro / 1_000_000
		sp.micro %= 1_000_000
		if sp.second > maxU32 {
			return errDurationTooLarge
		}
	}
	if sp.second >= 86_400 {
		sp.day += sp.second / 86_400
		sp.second %= 86_400
		if sp.day > maxU32 {
			return errDurationTooLarge
		}
	}
	if sp.day > 999_999_999 {
		return errDurationDaysLarge
	}
	return ""
}

// parseSpeedateDuration follows speedate's Duration::parse_bytes.
func parseSpeedateDuration(s string) (time.Duration, string) {
	if s == "" {
		return 0, errTooShort
	}
	negative, s0 := false, s[0]
	switch s0 {
	case '+':
		s = s[1:]
	case '-':
		negative = true
		s = s[1:]
	}
	var sp span
	var reason string
	switch {
	case len(s) > 0 && s[0] == 'P':
		sp, reason = parseISODuration(s, negative || s0 == '+')
	case len(s) > 2 && s[2] == ':':
		hour, minute, sec, nsec, n, r := parseClock(s)
		switch {
		case r != "":
			reason = r
		case n < len(s):
			reason = errExtraCharacters
		default:
			sp = span{second: uint64(hour*3600 + minute*60 + sec), micro: uint64(nsec / 1000)}
		}
	default:
		sp, reason = parseDaysTime(s)
	}
	if reason != "" {
		return 0, reason
	}
	if reason = sp.normalize(); reason != "" {
		return 0, reason
	}
	const maxDays = math.MaxInt64 / int64(24*time.Hour)
	if sp.day > uint64(maxDays) {
		return 0, errDurationTooLarge
	}
	d := time.Duration(sp.day)*24*time.Hour + time.Duration(sp.second)*time.Second + time.Duration(sp.micro)*time.Microsecond
	if d < 0 {
		return 0, errDurationTooLarge
	}
	if negative {
		d = -d
	}
	return d, ""
}

// parseNumber reads decimal digits at s[i:] into a u32, as speedate does.
func parseNumber(s string, i int) (uint64, int, string) {
	if i >= len(s) || !isDigit(s[i]) {
		return 0, i, errDurationNumber
	}
	var v uint64
	for ; i < len(s) && isDigit(s[i]); i++ {
		v = v*10 + uint64(s[i]-'0')
		if v > maxU32 {
			return 0, i, errDurationTooLarge
		}
	}
	return v, i, ""
}

// parseNumberFrac reads digits with an optional '.' or ',' fraction.
func parseNumberFrac(s string, i int) (v uint64, frac float64, hasFrac bool, next int, reason string) {
	v, i, reason = parseNumber(s, i)
	if reason != "" {
		return 0, 0, false, i, reason
	}
	if i < len(s) && (s[i] == '.' || s[i] == ',') {
		num, den := 0.0, 1.0
		for i++; i < len(s) && isDigit(s[i]); i++ {
			num = num*10 + float64(s[i]-'0')
			den *= 10
		}
		return v, num / den, true, i, ""
	}
	return v, 0, false, i, ""
}

// durationUnit is the size of an ISO 8601 duration unit: in seconds after
// the T (H, M, S), in days before it (Y as 365, M as 30, W, D).
func durationUnit(unit byte, afterT bool) (uint64, string) {
	if afterT {
		switch unit {
		case 'H':
			return 3600, ""
		case 'M':
			return 60, ""
		case 'S':
			return 1, ""
		}
		return 0, errDurationTimeUnit
	}
	switch unit {
	case 'Y':
		return 365, ""
	case 'M':
		return 30, ""
	case 'W':
		return 7, ""
	case 'D':
		return 1, ""
	}
	return 0, errDurationDateUnit
}

// parseISODuration reads "P…" (s starts at the 'P'; signed tells whether a
// sign preceded it).
func parseISODuration(s string, signed bool) (span, string) {
	var sp span
	gotT, lastFrac := false, false
	i := 1
	for i < len(s) {
		if s[i] == 'T' {
			if gotT {
				return sp, errDurationTRepeated
			}
			gotT = true
			i++
			continue
		}
		v, frac, hasFrac, next, reason := parseNumberFrac(s, i)
		if reason != "" {
			return sp, reason
		}
		if lastFrac {
			return sp, errDurationFraction
		}
		lastFrac = hasFrac
		i = next
		var unit byte
		if i < len(s) {
			unit = s[i]
		}
		mult, reason := durationUnit(unit, gotT)
		if reason != "" {
			return sp, reason
		}
		if gotT {
			sp.second += v * mult
		} else {
			sp.day += v * mult
		}
		if hasFrac {
			extra := frac * float64(mult)
			if !gotT {
				// A fraction of days: whole days, then the seconds left.
				wholeDays := math.Trunc(extra)
				sp.day += uint64(wholeDays)
				extra = (extra - wholeDays) * 86_400
			}
			whole := math.Trunc(extra)
			sp.second += uint64(whole)
			sp.micro += uint64(math.Round((extra - whole) * 1e6))
		}
		if sp.day > maxU32 || sp.second > maxU32 || sp.micro > maxU32 {
			return sp, errDurationTooLarge
		}
		i++
	}
	// speedate counts from the start of the input, sign included.
	if signed {
		i++
	}
	if i < 3 {
		return sp, errTooShort
	}
	return sp, ""
}

// parseDaysTime reads "D[ ]d[ay[s]][,][ ][HH:MM[:SS[.f]]]".
func parseDaysTime(s string) (span, string) {
	var sp span
	if s == "" {
		return sp, errTooShort
	}
	day, i, reason := parseNumber(s, 0)
	if reason != "" {
		return sp, reason
	}
	sp.day = day
	if i < len(s) && s[i] == ' ' {
		i++
	} else if i >= len(s) || (s[i] != 'd' && s[i] != 'D') {
		return sp, errDurationDays
	}
	if i >= len(s) || (s[i] != 'd' && s[i] != 'D') {
		return sp, errDurationDays
	}
	i++
	if i < len(s) && (s[i] == 'a' || s[i] == 'A') {
		if i+1 >= len(s) || (s[i+1] != 'y' && s[i+1] != 'Y') {
			return sp, errDurationDays
		}
		i += 2
		if i < len(s) && (s[i] == 's' || s[i] == 'S') {
			i++
		}
	}
	if i < len(s) && s[i] == ',' {
		i++
	}
	if i < len(s) && s[i] == ' ' {
		i++
	}
	if i == len(s) {
		return sp, ""
	}
	hour, minute, sec, nsec, n, reason := parseClock(s[i:])
	if reason != "" {
		return sp, reason
	}
	if i+n < len(s) {
		return sp, errExtraCharacters
	}
	sp.second = uint64(hour*3600 + minute*60 + sec)
	sp.micro = uint64(nsec / 1000)
	return sp, ""
}
