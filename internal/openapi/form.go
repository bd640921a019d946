// Form request bodies in the document: Body_<operationId> components under
// urlencoded or multipart media types, and the file schema.

package openapi

import (
	"fmt"
	"reflect"
)

// formBody is the request body of an operation whose fields come from a
// form, as FastAPI documents Form() and File() parameters: a component
// "Body_<operationId>" holding the fields, under
// application/x-www-form-urlencoded, or multipart/form-data when a field
// is a file. The body is required when a field is.
func (g *generator) formBody(fields []Param, id string) (*requestBodyObject, error) {
	s := &Schema{Type: "object", Properties: &Properties{}}
	media := "application/x-www-form-urlencoded"
	required := false
	for _, p := range fields {
		rules := parseRules(p.Validate)
		here, _ := splitDive(rules)
		var fs *Schema
		if p.File {
			media = "multipart/form-data"
			fs = fileSchema()
			if t := p.Type; t != nil && t.Kind() == reflect.Slice && t.Elem().Kind() != reflect.Uint8 {
				fs = &Schema{Type: "array", Items: fs}
			}
		} else {
			var err error
			if fs, err = g.paramSchema(p.Type, rules); err != nil {
				return nil, fmt.Errorf("%w (form field %q)", err, p.Name)
			}
			if p.HasDefault {
				v, err := paramDefault(p.Type, p.Default, fs)
				if err != nil {
					return nil, fmt.Errorf("openapi: form field %q: %w", p.Name, err)
				}
				fs = withExtra(fs, v, "")
			}
			if p.HasExample {
				v, err := paramDefault(p.Type, p.Example, fs)
				if err != nil {
					return nil, fmt.Errorf("openapi: form field %q: example: %w", p.Name, err)
				}
				fs = withExamples(fs, v)
			}
		}
		if p.Description != "" {
			fs = withExtra(fs, nil, p.Description)
		}
		s.Properties.Set(p.Name, fs)
		if p.Required || hasRule(here, "required") {
			s.Required = append(s.Required, p.Name)
			required = true
		}
	}
	name := "Body_" + id
	s.Title = name
	g.components[name] = s
	return &requestBodyObject{
		Content:  map[string]mediaObject{media: {Schema: &Schema{Ref: refPrefix + name}}},
		Required: required,
	}, nil
}

// fileSchema is an uploaded file's schema, as FastAPI writes it for
// OpenAPI 3.1: a string of bytes.
func fileSchema() *Schema {
	return &Schema{Type: "string", ContentMediaType: "application/octet-stream"}
}
