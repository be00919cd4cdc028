package text

import (
	"fmt"
	"math/bits"
	"strings"
	"testing"

	"github.com/crisisdesk/crisisdesk/internal/cputime"
)

// render shows tokens compactly as kind:text=norm[flags], with =norm left out when Norm equals Text.
func render(toks []Token) string {
	var b strings.Builder
	for i, tk := range toks {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(tk.Kind.String())
		b.WriteByte(':')
		b.WriteString(tk.Text)
		if tk.Norm != tk.Text {
			b.WriteByte('=')
			b.WriteString(tk.Norm)
		}
		if tk.Flags != 0 {
			b.WriteString(flagString(tk.Flags))
		}
	}
	return b.String()
}

func flagString(f Flags) string {
	var parts []string
	for _, n := range []struct {
		f    Flags
		name string
	}{{AllCaps, "caps"}, {Elongated, "elong"}, {Negation, "neg"}, {Clitic, "clitic"}, {Part, "part"}} {
		if f.Has(n.f) {
			parts = append(parts, n.name)
		}
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func TestTokenize(t *testing.T) {
	tests := []struct {
		name, in, want string
	}{
		{"plain dutch", "De trein is weer te laat.", "word:De=de word:trein word:is word:weer word:te word:laat punct:."},
		{"plain english", "The app is down again", "word:The=the word:app word:is word:down word:again"},
		{"diacritics", "Café ideeën Ö", "word:Café=cafe word:ideeën=ideen word:Ö=o"},
		{"decomposed accent", "cafe\u0301", "word:cafe\u0301=cafe"},
		{"sharp s and ligature", "Straße ĳs", "word:Straße=strasse word:ĳs=ijs"},
		{"elongation", "sooooo goeeeed", "word:sooooo=soo[elong] word:goeeeed=goeed[elong]"},
		{"double letters kept", "zee boot good", "word:zee word:boot word:good"},
		{"elongated caps", "NEEEE", "word:NEEEE=nee[caps,elong]"},
		{"all caps", "SCHANDALIG KPN", "word:SCHANDALIG=schandalig[caps] word:KPN=kpn[caps]"},
		{"single capital is not caps", "I A", "word:I=i word:A=a"},
		{"numbers", "1.000,50 euro om 12:30 24/7 3", "number:1.000,50 word:euro word:om number:12:30 number:24/7 number:3"},
		{"alnum words", "4G covid19 2e", "word:4G=4g word:covid19 word:2e"},
		{"punct runs", "Echt?! Nee!!! Hmm...", "word:Echt=echt punct:?![elong] word:Nee=nee punct:!!![elong] word:Hmm=hmm punct:..."},
		{"single bang", "Top!", "word:Top=top punct:!"},
		{"hashtag camel", "#DataLek", "hashtag:#DataLek=datalek word:Data=data[part] word:Lek=lek[part]"},
		{"hashtag lower not split", "#datalek", "hashtag:#datalek=datalek"},
		{"hashtag acronym", "#NOSNieuws", "hashtag:#NOSNieuws=nosnieuws word:NOS=nos[caps,part] word:Nieuws=nieuws[part]"},
		{"hashtag digits", "#covid19", "hashtag:#covid19=covid19 word:covid[part] number:19[part]"},
		{"hashtag underscore", "#data_lek", "hashtag:#data_lek=data_lek word:data[part] word:lek[part]"},
		{"hashtag all caps", "#KPN", "hashtag:#KPN=kpn[caps]"},
		{"hashtag needs letter", "#1 C#", "punct:# number:1 word:C=c punct:#"},
		{"hashtag accent", "#Storingsmeldingén", "hashtag:#Storingsmeldingén=storingsmeldingen"},
		{"mention bluesky", "@anna.bsky.social zegt", "mention:@anna.bsky.social=anna.bsky.social word:zegt"},
		{"mention mastodon", "cc @User@mastodon.social.", "word:cc mention:@User@mastodon.social=user@mastodon.social punct:."},
		{"mention simple", "@NS_online:", "mention:@NS_online=ns_online punct::"},
		{"email is not mention", "info@bedrijf.nl", "word:info punct:@ word:bedrijf punct:. word:nl"},
		{"url https", "Lees https://nos.nl/artikel/123 nu.", "word:Lees=lees url:https://nos.nl/artikel/123 word:nu punct:."},
		{"url trailing paren", "(zie https://example.com/a_(b))", "punct:( word:zie url:https://example.com/a_(b) punct:)"},
		{"url www", "www.kpn.com/storing!", "url:www.kpn.com/storing punct:!"},
		{"bare domain", "zie nu.nl/nieuws en example.nl.", "word:zie url:nu.nl/nieuws word:en url:example.nl punct:."},
		{"not a domain", "Klaar.Ik ga", "word:Klaar=klaar punct:. word:Ik=ik word:ga"},
		{"emoji simple", "boos😡😡", "word:boos emoji:😡 emoji:😡"},
		{"emoji skin tone", "👍🏽", "emoji:👍🏽=👍"},
		{"emoji zwj", "👩‍👩‍👧", "emoji:👩‍👩‍👧"},
		{"emoji flag", "🇳🇱🇧🇪", "emoji:🇳🇱 emoji:🇧🇪"},
		{"emoji selector", "❤️ ❤", "emoji:❤️=❤ emoji:❤"},
		{"emoji keycap", "1️⃣ #️⃣", "emoji:1️⃣=1⃣ emoji:#️⃣=#⃣"},
		{"emoticons", ":) :-( :D ;) :'( <3 xD", "emoticon::) emoticon::-( emoticon::D emoticon:;) emoticon::'( emoticon:<3 emoticon:xD"},
		{"emoticon after word", "leuk:)))", "word:leuk emoticon::)))"},
		{"colon before word", "let op:Dit", "word:let word:op punct:: word:Dit=dit"},
		{"not heart", "x<30", "word:x punct:< number:30"},
		{"dutch clitics", "'t Is m'n fiets, z'n auto, d'r huis, zo'n dag, da's fijn", "word:'t[clitic] word:Is=is word:m'n word:fiets punct:, word:z'n word:auto punct:, word:d'r word:huis punct:, word:zo'n word:dag punct:, word:da's word:fijn"},
		{"dutch curly clitic", "’s avonds zo’n", "word:’s='s[clitic] word:avonds word:zo’n=zo'n"},
		{"dutch plural", "auto's", "word:auto word:'s[clitic]"},
		{"english negation", "don't can't won't isn't", "word:do word:n't=not[neg,clitic] word:ca=can word:n't=not[neg,clitic] word:wo=will word:n't=not[neg,clitic] word:is word:n't=not[neg,clitic]"},
		{"english curly", "don’t I’m", "word:do word:n’t=not[neg,clitic] word:I=i word:’m='m[clitic]"},
		{"english clitics", "I'm it's we're they've you'll he'd", "word:I=i word:'m[clitic] word:it word:'s[clitic] word:we word:'re[clitic] word:they word:'ve[clitic] word:you word:'ll[clitic] word:he word:'d[clitic]"},
		{"caps negation", "DON'T", "word:DO=do[caps] word:N'T=not[caps,neg,clitic]"},
		{"inner apostrophe kept", "O'Brien l'homme rock'n'roll", "word:O'Brien=o'brien word:l'homme word:rock'n'roll"},
		{"soft hyphen inside word", "ver\u00ADzekering", "word:ver\u00ADzekering=verzekering"},
		{"zero width space", "a\u200Bb", "word:a word:b"},
		{"hyphen splits", "e-mail", "word:e punct:- word:mail"},
		{"invalid utf8", "a\xffb", "word:a punct:\xff word:b"},
		{"empty", "", ""},
		{"spaces only", " \t\n", ""},
	}
	var tz Tokenizer
	var toks []Token
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toks = tz.Tokenize(toks[:0], tc.in)
			if got := render(toks); got != tc.want {
				t.Errorf("Tokenize(%q)\n got %s\nwant %s", tc.in, got, tc.want)
			}
			checkInvariants(t, tc.in, toks)
		})
	}
}

// checkInvariants asserts the contract every caller relies on: spans inside the input and in order,
// Text equal to the span, Norm never empty, parts inside the hashtag before them.
func checkInvariants(t *testing.T, s string, toks []Token) {
	t.Helper()
	lastEnd, lastStart := 0, 0
	tagStart, tagEnd := -1, -1
	for i, tk := range toks {
		if tk.Start < 0 || tk.End > len(s) || tk.Start >= tk.End {
			t.Fatalf("token %d %+v: span outside input of %d bytes", i, tk, len(s))
		}
		if tk.Text != s[tk.Start:tk.End] {
			t.Fatalf("token %d: Text %q != input[%d:%d] %q", i, tk.Text, tk.Start, tk.End, s[tk.Start:tk.End])
		}
		if tk.Norm == "" {
			t.Fatalf("token %d %+v: empty Norm", i, tk)
		}
		if tk.Kind < Word || tk.Kind > Punct {
			t.Fatalf("token %d: bad kind %d", i, tk.Kind)
		}
		if tk.Start < lastStart {
			t.Fatalf("token %d starts at %d before previous start %d", i, tk.Start, lastStart)
		}
		if tk.Flags.Has(Part) {
			if tk.Start < tagStart || tk.End > tagEnd {
				t.Fatalf("part %d [%d,%d) outside its hashtag [%d,%d)", i, tk.Start, tk.End, tagStart, tagEnd)
			}
		} else {
			if tk.Start < lastEnd {
				t.Fatalf("token %d [%d,%d) overlaps previous end %d", i, tk.Start, tk.End, lastEnd)
			}
			lastEnd = tk.End
		}
		if tk.Kind == Hashtag {
			tagStart, tagEnd = tk.Start, tk.End
		}
		lastStart = tk.Start
	}
}

func TestTokenizeAppends(t *testing.T) {
	var tz Tokenizer
	toks := tz.Tokenize(nil, "Eerste Post")
	first := toks[0].Norm
	toks = tz.Tokenize(toks, "Tweede KEER")
	if got := render(toks); got != "word:Eerste=eerste word:Post=post word:Tweede=tweede word:KEER=keer[caps]" {
		t.Errorf("appending to dst: got %s", got)
	}
	// Norms of earlier calls must survive later calls: callers keep them as map keys.
	tz.Tokenize(nil, "Ander Woord Dat Buffer Overschrijft")
	if first != "eerste" {
		t.Errorf("earlier Norm changed to %q", first)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"café", "cafe"},
		{"Ideeën", "ideen"},
		{"ideeen", "ideen"},
		{"ÖRSTED", "orsted"},
		{"Zo’n", "zo'n"},
		{"sooooo", "soo"},
		{"zeeëend", "zeend"},
		{"#DataLek", "#datalek"},
		{"datalek", "datalek"},
		{"", ""},
		{"Ελληνικά", "ελληνικα"},
		{"ＫＰＮ", "kpn"},
		{"ﬁets", "fiets"},
		{"a\xffb", "a\ufffdb"},
	}
	for _, tc := range tests {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Every rune the fold table covers must fold to a fixed point, or Fold would not be idempotent.
func TestFoldTableIdempotent(t *testing.T) {
	for _, fr := range foldRanges {
		for r := fr.lo; r < fr.hi; r++ {
			once := Fold(string(r))
			if twice := Fold(once); twice != once {
				t.Errorf("Fold(%U %q) = %q, folded again %q", r, string(r), once, twice)
			}
		}
	}
}

// Fold must agree with the Norm of a Word token, because the query engine compares the two.
func TestFoldMatchesWordNorm(t *testing.T) {
	for _, w := range []string{"Café", "IDEEËN", "Storinggg", "Straße", "Ĳsselmeer", "naïef", "über"} {
		toks := Tokenize(w)
		if len(toks) != 1 || toks[0].Kind != Word {
			t.Fatalf("Tokenize(%q) = %s, want one word", w, render(toks))
		}
		if f := Fold(w); f != toks[0].Norm {
			t.Errorf("Fold(%q) = %q, Norm = %q", w, f, toks[0].Norm)
		}
	}
}

func TestFoldDoesNotAllocateWhenFolded(t *testing.T) {
	allocs := testing.AllocsPerRun(100, func() { _ = Fold("datalek bij de bank") })
	if allocs != 0 {
		t.Errorf("Fold of folded text allocates %.0f times", allocs)
	}
}

func TestKindString(t *testing.T) {
	for k, want := range map[Kind]string{Word: "word", Punct: "punct", Emoji: "emoji", 0: "invalid", 99: "invalid"} {
		if got := k.String(); got != want {
			t.Errorf("Kind(%d).String() = %q, want %q", k, got, want)
		}
	}
}

// The cost of tokenizing must stay linear: adversarial inputs are bounded by counting work that does
// not depend on the machine (tokens and allocations), never by wall time.
func TestLinearWork(t *testing.T) {
	tests := []struct {
		name       string
		in         string
		wantTokens int
	}{
		{"100k emoji", strings.Repeat("😀", 100_000), 100_000},
		{"100k zwj emoji", strings.Repeat("👩‍👩‍👧", 100_000), 100_000},
		{"one 50k word", strings.Repeat("ab", 25_000), 1},
		{"one 50k elongated word", strings.Repeat("a", 50_000), 1},
		{"dotted run", strings.Repeat("a.", 50_000), 100_000},
		{"1MB of posts", strings.Repeat("Storing bij @kpn sinds 10:00 #KPNstoring https://x.nl 😡 ", 17_000), 17_000 * 10},
		{"apostrophes", strings.Repeat("a'", 50_000), 2},
		{"hashtag parts", "#" + strings.Repeat("Ab", 25_000), 25_001},
		{"emoticon mouths", ":" + strings.Repeat(")", 100_000), 1},
		{"bangs", strings.Repeat("!?", 50_000), 1},
		{"mention dots", "@" + strings.Repeat("a.", 50_000), 2},
	}
	var tz Tokenizer
	toks := make([]Token, 0, 300_000)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			toks = tz.Tokenize(toks[:0], tc.in)
			if len(toks) != tc.wantTokens {
				t.Errorf("got %d tokens, want %d", len(toks), tc.wantTokens)
			}
			checkInvariants(t, tc.in, toks)
			// The two scratch buffers grow by doubling and huge ones are not kept, so a huge input costs a
			// logarithmic number of allocations; more would mean copying per token.
			limit := 3*float64(bits.Len(uint(len(tc.in)))) + 4
			allocs := testing.AllocsPerRun(3, func() { toks = tz.Tokenize(toks[:0], tc.in) })
			if allocs > limit {
				t.Errorf("%.0f allocations per call, want at most %.0f", allocs, limit)
			}
		})
	}
}

func TestTokenizeAllocations(t *testing.T) {
	var tz Tokenizer
	toks := make([]Token, 0, 64)
	for _, post := range benchPosts {
		toks = tz.Tokenize(toks[:0], post)
		allocs := testing.AllocsPerRun(20, func() { toks = tz.Tokenize(toks[:0], post) })
		if allocs > 1 {
			t.Errorf("Tokenize(%q): %.0f allocations, want at most 1", post, allocs)
		}
	}
	allocs := testing.AllocsPerRun(20, func() { toks = tz.Tokenize(toks[:0], "kpn ligt eruit, weer geen internet") })
	if allocs != 0 {
		t.Errorf("folded text: %.0f allocations, want 0", allocs)
	}
}

var benchPosts = []string{
	"@KPN al 3 uur geen internet in Utrecht!!! Wanneer is dit opgelost? #storing #KPNstoring",
	"Wat een SCHANDE dit. Mijn gegevens liggen op straat door jullie #DataLek 😡😡 https://nos.nl/artikel/2450000",
	"Thanks @NS_online, de trein was gewoon op tijd vandaag 👍🏽",
	"I can't believe they're still not answering. Worst customer service ever :( #fail",
	"zo'n gedoe weer met m'n bestelling, da's de 3e keer deze maand... bel me ff terug aub",
	"Our systems are back up. We're sorry for the inconvenience and thank you for your patience. www.example.com/status",
	"Sooooo blij met de nieuwe app!! Eindelijk werkt het 😍🎉",
	"Lekker dan, 't is weer raak bij @ING_nl. Niet kunnen inloggen sinds 08:15 🙄",
}

func BenchmarkTokenize(b *testing.B) {
	var tz Tokenizer
	toks := make([]Token, 0, 64)
	bytes := 0
	for _, p := range benchPosts {
		bytes += len(p)
	}
	b.SetBytes(int64(bytes / len(benchPosts)))
	b.ReportAllocs()
	start, _ := cputime.Process()
	for i := 0; b.Loop(); i++ {
		toks = tz.Tokenize(toks[:0], benchPosts[i%len(benchPosts)])
	}
	cputime.Report(b, start)
}

func BenchmarkFold(b *testing.B) {
	words := []string{"storing", "Café", "IDEEËN", "Sooooo", "datalek"}
	b.ReportAllocs()
	start, _ := cputime.Process()
	for i := 0; b.Loop(); i++ {
		_ = Fold(words[i%len(words)])
	}
	cputime.Report(b, start)
}

func ExampleTokenizer_Tokenize() {
	var tz Tokenizer
	for _, tk := range tz.Tokenize(nil, "Weer #DataLek bij @bank.nl :( Sooo boos!!") {
		fmt.Printf("%s %q %q\n", tk.Kind, tk.Text, tk.Norm)
	}
	// Output:
	// word "Weer" "weer"
	// hashtag "#DataLek" "datalek"
	// word "Data" "data"
	// word "Lek" "lek"
	// word "bij" "bij"
	// mention "@bank.nl" "bank.nl"
	// emoticon ":(" ":("
	// word "Sooo" "soo"
	// word "boos" "boos"
	// punct "!!" "!!"
}
