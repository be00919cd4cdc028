package incident

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/crisisdesk/crisisdesk/internal/post"
	"github.com/crisisdesk/crisisdesk/internal/store"
)

func question(id, txt string, minutes int) store.StoredPost {
	return store.StoredPost{Post: post.Post{ID: id, Platform: "bluesky", Text: txt,
		CreatedAt: time.Date(2026, 11, 20, 10, 0, 0, 0, time.UTC).Add(time.Duration(minutes) * time.Minute)}}
}

func TestGroupQuestions(t *testing.T) {
	// Newest first, as Situation returns them.
	posts := []store.StoredPost{
		question("q6", "@acme WHEN is the app back up?? https://x.example/1", 60),
		question("q5", "Is mijn geld veilig?", 50),
		question("q4", "Is mijn géld nog veilig?", 40),
		question("q3", "Who leaked the data?", 30),
		question("q2", "@helpdesk when is the app back?", 20),
		question("q1", "?", 10),
	}
	got := GroupQuestions(posts)
	var gotIDs []string
	for _, g := range got {
		var ids []string
		for _, p := range g.Posts {
			ids = append(ids, p.Post.ID)
		}
		gotIDs = append(gotIDs, strings.Join(ids, "+"))
	}
	want := []string{"q6+q2", "q5+q4", "q3", "q1"}
	if strings.Join(gotIDs, " ") != strings.Join(want, " ") {
		t.Errorf("groups %v, want %v", gotIDs, want)
	}
	if len(GroupQuestions(nil)) != 0 {
		t.Error("no questions made a group")
	}
}

func TestGroupQuestionsBounded(t *testing.T) {
	var posts []store.StoredPost
	for i := range maxQuestionGroups + 50 {
		posts = append(posts, question("q", fmt.Sprintf("vraag%d?", i), -i))
	}
	if got := GroupQuestions(posts); len(got) != maxQuestionGroups {
		t.Errorf("%d groups, want the bound %d", len(got), maxQuestionGroups)
	}
}

// FuzzGroupQuestions: whatever the texts, every question lands in exactly one group (below the bound)
// and no group is empty.
func FuzzGroupQuestions(f *testing.F) {
	f.Add("Is het lek waar?", "is HET lek waar??", "#datalek?")
	f.Add("", "?", "@a @b https://x.example ?")
	f.Add("wann？", "🙈🙈?", "l'app n'est pas là?")
	f.Fuzz(func(t *testing.T, a, b, c string) {
		posts := []store.StoredPost{question("a", a, 3), question("b", b, 2), question("c", c, 1)}
		n := 0
		for _, g := range GroupQuestions(posts) {
			if len(g.Posts) == 0 {
				t.Fatal("an empty group")
			}
			n += len(g.Posts)
		}
		if n != len(posts) {
			t.Fatalf("%d questions grouped, want %d", n, len(posts))
		}
	})
}
