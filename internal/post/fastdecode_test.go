package post

import (
	"encoding/json"
	"reflect"
	"testing"
)

var fastSeeds = []string{
	`{"id":"gen-1","platform":"x","text":"Mijn pakket is weer niet bezorgd.","created_at":"2026-11-20T08:00:00.25Z","lang":"nl","url":"https://example.org/u/1","author":{"id":"id-u","handle":"u","name":"U","followers":3815,"following":549,"verified":false,"kind":"person"},"metrics":{"likes":29,"reposts":6,"replies":0,"quotes":0,"views":0}}`,
	` { "id" : "1" , "platform":"bluesky","text":"é 😍 <b>&","created_at":"2026-11-20T10:00:00Z","reply_to":"r","repost_of":"p","quote_of":"q","author":{"created_at":"2019-01-01T00:00:00Z","verified":true,"followers":-0,"following":-12},"metrics":{}} ` + "\n",
	`{}`,
	`{"id":"1","ID":"2"}`,
	`{"id":"1","id":"2"}`,
	`{"id":"a\"b","platform":"x"}`,
	`{"id":null,"platform":"x"}`,
	`{"id":"1","extra":[1,2,{"a":null}]}`,
	`{"author":{"followers":1.5}}`,
	`{"author":{"followers":1e3}}`,
	`{"author":{"followers":01}}`,
	`{"author":{"followers":9223372036854775808}}`,
	`{"author":{"verified":"true"}}`,
	`{"author":{"verified":truex}}`,
	`{"metrics":{"likes":1,}}`,
	`{"id":"1"} x`,
	`{"id":"1"}{}`,
	`{"text":"tab	in"}`,
	"{\"text\":\"\xff\"}",
	`[]`,
	``,
}

// checkFast fails when decodeFast accepts data but encoding/json decodes it differently or not at all.
func checkFast(t *testing.T, data []byte) bool {
	t.Helper()
	var fast wire
	if !decodeFast(data, &fast) {
		return false
	}
	var slow wire
	if err := json.Unmarshal(data, &slow); err != nil {
		t.Fatalf("decodeFast accepted %q, encoding/json did not: %v", data, err)
	}
	if !reflect.DeepEqual(fast, slow) {
		t.Fatalf("%q:\nfast %+v\njson %+v", data, fast, slow)
	}
	return true
}

func TestDecodeFastSameAsJSON(t *testing.T) {
	accepted := 0
	for _, s := range fastSeeds {
		if checkFast(t, []byte(s)) {
			accepted++
		}
	}
	if accepted != 3 {
		t.Errorf("the fast path took %d of the seeds, want the 3 plain ones", accepted)
	}
}

func FuzzDecodeFastSameAsJSON(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFast(t, data)
	})
}
