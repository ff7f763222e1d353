package experiment

import (
	"encoding/json"
	"fmt"
	"math"
	"reflect"
	"strconv"
)

// JSON has no NaN or infinity: the records of a History write such values
// as the strings "NaN", "+Inf" and "-Inf" and read them back (null also reads
// as NaN). Each record type marshals through a copy of itself whose float64
// fields (and []float64 elements) are jsonFloats.

func (r StepRecord) MarshalJSON() ([]byte, error)   { return marshalNonFinite(r) }
func (r *StepRecord) UnmarshalJSON(b []byte) error  { return unmarshalNonFinite(b, r) }
func (r EpochRecord) MarshalJSON() ([]byte, error)  { return marshalNonFinite(r) }
func (r *EpochRecord) UnmarshalJSON(b []byte) error { return unmarshalNonFinite(b, r) }
func (s Summary) MarshalJSON() ([]byte, error)      { return marshalNonFinite(s) }
func (s *Summary) UnmarshalJSON(b []byte) error     { return unmarshalNonFinite(b, s) }

// jsonFloat is a float64 whose JSON may be "NaN", "+Inf", "-Inf" or null.
type jsonFloat float64

func (f jsonFloat) MarshalJSON() ([]byte, error) {
	x := float64(f)
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return json.Marshal(strconv.FormatFloat(x, 'g', -1, 64))
	}
	return json.Marshal(x)
}

func (f *jsonFloat) UnmarshalJSON(b []byte) error {
	var x float64
	var s string
	switch {
	case string(b) == "null":
		x = math.NaN()
	case json.Unmarshal(b, &s) == nil:
		v, err := strconv.ParseFloat(s, 64)
		if err != nil || !(math.IsNaN(v) || math.IsInf(v, 0)) {
			return fmt.Errorf("%s: want a number, NaN, +Inf or -Inf", b)
		}
		x = v
	default:
		if err := json.Unmarshal(b, &x); err != nil {
			return err
		}
	}
	*f = jsonFloat(x)
	return nil
}

var (
	float64Type  = reflect.TypeFor[float64]()
	float64sType = reflect.TypeFor[[]float64]()
)

// shadowOf returns the type of struct type t with jsonFloat in place of
// float64; it has no methods, so its JSON is the default one.
func shadowOf(t reflect.Type) reflect.Type {
	fields := make([]reflect.StructField, t.NumField())
	for i := range fields {
		fields[i] = t.Field(i)
		switch fields[i].Type {
		case float64Type:
			fields[i].Type = reflect.TypeFor[jsonFloat]()
		case float64sType:
			fields[i].Type = reflect.TypeFor[[]jsonFloat]()
		}
	}
	return reflect.StructOf(fields)
}

// copyFields copies the fields of src into dst, two structs whose fields
// differ at most by float64 against jsonFloat.
func copyFields(dst, src reflect.Value) {
	for i := range src.NumField() {
		s, d := src.Field(i), dst.Field(i)
		if s.Kind() == reflect.Slice && d.Type() != s.Type() {
			if s.IsNil() {
				continue
			}
			d.Set(reflect.MakeSlice(d.Type(), s.Len(), s.Len()))
			for j := range s.Len() {
				d.Index(j).Set(s.Index(j).Convert(d.Type().Elem()))
			}
			continue
		}
		d.Set(s.Convert(d.Type()))
	}
}

func marshalNonFinite(v any) ([]byte, error) {
	src := reflect.ValueOf(v)
	shadow := reflect.New(shadowOf(src.Type())).Elem()
	copyFields(shadow, src)
	return json.Marshal(shadow.Interface())
}

func unmarshalNonFinite(b []byte, ptr any) error {
	dst := reflect.ValueOf(ptr).Elem()
	shadow := reflect.New(shadowOf(dst.Type()))
	if err := json.Unmarshal(b, shadow.Interface()); err != nil {
		return err
	}
	copyFields(dst, shadow.Elem())
	return nil
}
