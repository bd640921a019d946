// Why an email, URL or UUID is invalid, in the words of the Python
// libraries FastAPI uses (email-validator, pydantic-core's URL parser).

package validation

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/briskgo/brisk/internal/problem"
)

// emailReason says, in python-email-validator's words (as pydantic's EmailStr
// reports them), why s is not an email address.
func emailReason(s string) string {
	at := strings.LastIndexByte(s, '@')
	switch {
	case at < 0:
		return "An email address must have an @-sign."
	case at == 0:
		return "There must be something before the @-sign."
	case at == len(s)-1:
		return "There must be something after the @-sign."
	}
	local, domain := s[:at], s[at+1:]
	if strings.ContainsAny(local, " \t\r\n") {
		return "The email address contains invalid characters before the @-sign: SPACE."
	}
	// email-validator's period rules, in the order it checks them.
	for _, rule := range [...]struct {
		broken bool
		reason string
	}{
		{strings.HasPrefix(local, "."), "An email address cannot start with a period."},
		{strings.HasSuffix(local, "."), "An email address cannot have a period immediately before the @-sign."},
		{strings.Contains(local, ".."), "An email address cannot have two periods in a row."},
		{strings.HasPrefix(domain, "."), "An email address cannot have a period immediately after the @-sign."},
		{strings.HasSuffix(domain, "."), "An email address cannot end with a period."},
		{strings.Contains(domain, ".."), "An email address cannot have two periods in a row."},
		{!strings.Contains(domain, "."), "The part after the @-sign is not valid. It should have a period."},
	} {
		if rule.broken {
			return rule.reason
		}
	}
	return "The email address is not valid."
}

// special reports the schemes WHATWG URLs (rust-url) give a host.
func special(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp", "file":
		return true
	}
	return false
}

// urlItem is pydantic's error for a string that failed a URL rule.
func urlItem(tag, s string) problem.Item {
	scheme, rest, reason := urlParts(s)
	if reason == "" && (tag == "http_url" || tag == "https_url") {
		want := "'http' or 'https'"
		if tag == "https_url" {
			want = "'https'"
		}
		if scheme != "https" && (tag == "https_url" || scheme != "http") {
			return problem.Item{
				Type: "url_scheme",
				Msg:  "URL scheme should be " + want,
				Ctx:  map[string]any{"expected_schemes": want},
			}
		}
	}
	if reason == "" {
		reason = hostReason(scheme, rest)
	}
	return problem.Item{Type: "url_parsing", Msg: "Input should be a valid URL, " + reason, Ctx: map[string]any{"error": reason}}
}

// urlParts splits off the scheme; reason is set when there is none.
func urlParts(s string) (scheme, rest, reason string) {
	s = strings.TrimSpace(s)
	i := strings.IndexByte(s, ':')
	if i <= 0 || !isAlpha(s[0]) {
		return "", "", "relative URL without a base"
	}
	for j := 1; j < i; j++ {
		if c := s[j]; !isAlpha(c) && !('0' <= c && c <= '9') && c != '+' && c != '-' && c != '.' {
			return "", "", "relative URL without a base"
		}
	}
	return strings.ToLower(s[:i]), s[i+1:], ""
}

func isAlpha(c byte) bool { return 'a' <= c|0x20 && c|0x20 <= 'z' }

// hostReason finds, in rust-url's words, what is wrong with the authority.
func hostReason(scheme, rest string) string {
	if !special(scheme) && !strings.HasPrefix(rest, "//") {
		return "empty host"
	}
	rest = strings.TrimLeft(rest, "/\\")
	if end := strings.IndexAny(rest, "/\\?#"); end >= 0 {
		rest = rest[:end]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	host, port := rest, ""
	if strings.HasPrefix(rest, "[") {
		end := strings.IndexByte(rest, ']')
		if end < 0 {
			return "invalid IPv6 address"
		}
		host, port = rest[:end+1], strings.TrimPrefix(rest[end+1:], ":")
	} else if i := strings.LastIndexByte(rest, ':'); i >= 0 {
		host, port = rest[:i], rest[i+1:]
	}
	if host == "" {
		return "empty host"
	}
	if port != "" {
		if n, err := strconv.Atoi(port); err != nil || n > 65535 {
			return "invalid port number"
		}
	}
	// Whatever else validator refused, rust-url would refuse in the host.
	return "invalid domain character"
}

// uuidItem is pydantic's error for a string that failed a UUID rule; version
// is the one the rule wants (0: any).
func uuidItem(s string, version int) problem.Item {
	reason, v := uuidReason(s)
	if reason == "" && version != 0 && v != version {
		return problem.Item{
			Type: "uuid_version",
			Msg:  "UUID version " + strconv.Itoa(version) + " expected",
			Ctx:  map[string]any{"expected_version": version},
		}
	}
	if reason == "" {
		// Well-formed for the uuid crate, refused by validator (e.g. the
		// 32-digit simple form): report it as the hyphenated form's error.
		reason = "invalid group count: expected 5, found " + strconv.Itoa(strings.Count(s, "-")+1)
	}
	return problem.Item{Type: "uuid_parsing", Msg: "Input should be a valid UUID, " + reason, Ctx: map[string]any{"error": reason}}
}

// uuidReason says, in the Rust uuid crate's words (as pydantic reports them),
// why s is not a UUID; "" and the version when it is one.
func uuidReason(s string) (reason string, version int) {
	body, offset, simple := s, 0, true
	switch {
	case len(s) >= 2 && s[0] == '{' && s[len(s)-1] == '}':
		body, offset, simple = s[1:len(s)-1], 1, false
	case strings.HasPrefix(s, "urn:uuid:"):
		body, offset, simple = s[len("urn:uuid:"):], len("urn:uuid:"), false
	}
	hyphens := 0
	var bounds [4]int
	for i, r := range body {
		switch {
		case r >= utf8.RuneSelf:
			return "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `" +
				string(r) + "` at " + strconv.Itoa(i+offset+1), 0
		case r == '-':
			if hyphens < 4 {
				bounds[hyphens] = i
			}
			hyphens++
		case !isHex(byte(r)):
			return "invalid character: expected an optional prefix of `urn:uuid:` followed by [0-9a-fA-F-], found `" +
				string(r) + "` at " + strconv.Itoa(i+offset+1), 0
		}
	}
	switch {
	case hyphens == 0 && simple && len(body) == 32:
		return "", hexVal(body[12])
	case hyphens == 0 && simple:
		return "invalid length: expected length 32 for simple format, found " + strconv.Itoa(len(s)), 0
	case hyphens != 4:
		return "invalid group count: expected 5, found " + strconv.Itoa(hyphens+1), 0
	}
	starts := [5]int{0, 9, 14, 19, 24}
	expected := [5]int{8, 4, 4, 4, 12}
	for i := range 4 {
		if bounds[i] != starts[i+1]-1 {
			return groupLength(i, expected[i], bounds[i]-starts[i]), 0
		}
	}
	if len(body) != 36 {
		return groupLength(4, expected[4], len(s)-starts[4]), 0
	}
	return "", hexVal(body[14])
}

func groupLength(group, expected, found int) string {
	return "invalid group length in group " + strconv.Itoa(group) + ": expected " + strconv.Itoa(expected) +
		", found " + strconv.Itoa(found)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c|0x20 && c|0x20 <= 'f'
}

func hexVal(c byte) int {
	if c <= '9' {
		return int(c - '0')
	}
	return int(c|0x20-'a') + 10
}
