package plan

import (
	"fmt"
	"reflect"
)

// catalogComplete reports a field of c that is empty.
func catalogComplete(c *catalog) error {
	v := reflect.ValueOf(*c)
	for i := range v.NumField() {
		f := v.Field(i)
		switch f.Kind() {
		case reflect.String:
			if f.String() == "" {
				return fmt.Errorf("%s is empty", v.Type().Field(i).Name)
			}
		case reflect.Map:
			for _, k := range []string{refPerson, refSchedule, refPolicy, refChannel, refTemplate} {
				if f.MapIndex(reflect.ValueOf(k)).String() == "" {
					return fmt.Errorf("%s[%s] is empty", v.Type().Field(i).Name, k)
				}
			}
		}
	}
	return nil
}
