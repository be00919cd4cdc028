package main

import (
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/detect"
)

// sets is the -set flag: NAME=VALUE overrides of detect.Config's numeric and duration fields, for
// measuring what one threshold does without editing the defaults.
type sets []string

func (s *sets) String() string { return strings.Join(*s, " ") }

func (s *sets) Set(v string) error {
	if _, _, ok := strings.Cut(v, "="); !ok {
		return fmt.Errorf("%q: want NAME=VALUE", v)
	}
	*s = append(*s, v)
	return nil
}

// apply sets each override on cfg. A name that is no numeric or duration field of detect.Config, or a
// value that does not parse as one, is an error naming both.
func (s sets) apply(cfg *detect.Config) error {
	v := reflect.ValueOf(cfg).Elem()
	for _, kv := range s {
		name, val, _ := strings.Cut(kv, "=")
		f := v.FieldByName(name)
		if !f.IsValid() || !f.CanSet() {
			return fmt.Errorf("-set %s: detect.Config has no field %q", kv, name)
		}
		var err error
		switch {
		case f.Type() == reflect.TypeFor[time.Duration]():
			var d time.Duration
			if d, err = time.ParseDuration(val); err == nil {
				f.SetInt(int64(d))
			}
		case f.Kind() == reflect.Float64:
			var x float64
			if x, err = strconv.ParseFloat(val, 64); err == nil {
				f.SetFloat(x)
			}
		case f.Kind() == reflect.Int || f.Kind() == reflect.Int64:
			var n int64
			if n, err = strconv.ParseInt(val, 10, 64); err == nil {
				f.SetInt(n)
			}
		default:
			return fmt.Errorf("-set %s: field %s is a %s, not a number or a duration", kv, name, f.Type())
		}
		if err != nil {
			return fmt.Errorf("-set %s: %w", kv, err)
		}
	}
	return nil
}
