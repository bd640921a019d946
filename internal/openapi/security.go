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
	js, err := Marshal(s.Scheme)
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

// requirements is an operation's "security": one requirement object
// naming every scheme of the route's tree, each with the scopes required of
// it merged (as FastAPI merges them). One object, not one per scheme: a
// list of objects means "any one of them" in OpenAPI, and the route needs
// them all. (FastAPI lists one object per scheme.) A public operation has
// an empty list: OpenAPI's "no credentials needed", said on purpose.
func (n *securityNames) requirements(sec []Security, public bool) (*[]map[string][]string, error) {
	if public {
		return &[]map[string][]string{}, nil
	}
	if len(sec) == 0 {
		return nil, nil
	}
	req := map[string][]string{}
	for _, s := range sec {
		k, err := n.key(s)
		if err != nil {
			return nil, err
		}
		scopes, ok := req[k]
		if !ok {
			scopes = []string{}
		}
		for _, scope := range s.Scopes {
			if !slices.Contains(scopes, scope) {
				scopes = append(scopes, scope)
			}
		}
		req[k] = scopes
	}
	return &[]map[string][]string{req}, nil
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
