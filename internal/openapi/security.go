// Security schemes in the document: their keys in
// components.securitySchemes and each operation's requirements.

package openapi

import (
	"slices"
	"strconv"
	"strings"
)

// securityNames gives every distinct security scheme of a document its key
// in components.securitySchemes: its Name, or Name_AltName when a different
// scheme already has Name, then Name_2, Name_3, … Keys are assigned in the
// order schemes are found, so they are stable for a given app.
type securityNames struct {
	byIdentity map[string]string         // scheme (name and JSON) -> its key
	schemes    map[string]SecurityScheme // key -> scheme
}

func (n *securityNames) key(s Security) (string, error) {
	js, err := marshal(s.Scheme)
	if err != nil {
		return "", err
	}
	id := s.Scheme.Name + "\x00" + string(js)
	if k, ok := n.byIdentity[id]; ok {
		return k, nil
	}
	if n.byIdentity == nil {
		n.byIdentity, n.schemes = map[string]string{}, map[string]SecurityScheme{}
	}
	base := s.Scheme.Name
	if base == "" {
		base = "Security"
	}
	k := base
	if _, taken := n.schemes[k]; taken && s.AltName != "" {
		k = base + "_" + s.AltName
	}
	for i := 2; ; i++ {
		if _, taken := n.schemes[k]; !taken {
			break
		}
		k = base + "_" + strconv.Itoa(i)
	}
	n.byIdentity[id] = k
	n.schemes[k] = s.Scheme
	return k, nil
}

// requirements is an operation's "security": one requirement per scheme,
// in the order found, each with the scopes required of it merged (as
// FastAPI merges them).
func (n *securityNames) requirements(sec []Security) ([]map[string][]string, error) {
	var out []map[string][]string
	index := map[string]int{}
	for _, s := range sec {
		k, err := n.key(s)
		if err != nil {
			return nil, err
		}
		i, ok := index[k]
		if !ok {
			i = len(out)
			index[k] = i
			out = append(out, map[string][]string{k: {}})
		}
		for _, scope := range s.Scopes {
			if !slices.Contains(out[i][k], scope) {
				out[i][k] = append(out[i][k], scope)
			}
		}
	}
	return out, nil
}

// isCredential reports whether a parameter is an API key one of sec's
// schemes reads: documented by the scheme, not as a parameter too (a tool
// would then ask for it twice).
func isCredential(sec []Security, in, name string) bool {
	for _, s := range sec {
		if s.Scheme.Type != "apiKey" || s.Scheme.In != in {
			continue
		}
		if s.Scheme.ParamName == name || in == "header" && strings.EqualFold(s.Scheme.ParamName, name) {
			return true
		}
	}
	return false
}
