package respond

var messagesEN = messages{
	lint: map[string]msg{
		"overpromise":            {"“%s” promises more than anyone can keep in a crisis.", "Say what you are doing and what you know now, without guarantees: “we are doing everything we can to …”."},
		"defensive":              {"“%s” sounds defensive: it argues with the people affected instead of listening to them.", "Acknowledge the concern first and state the facts plainly, without judging the criticism."},
		"blame_shifting":         {"“%s” shifts the blame to someone else.", "Take responsibility for what your organisation controls: “we chose this supplier, so this is our responsibility”."},
		"emotional.caps":         {"“%s” is in capitals, which reads as shouting.", "Write it in normal case; let the facts carry the weight."},
		"emotional.punct":        {"“%s” makes the message sound agitated.", "Use a single full stop or question mark."},
		"emotional.word":         {"“%s” sounds angry, dismissive or sarcastic.", "Leave it out and stay calm and factual, even when the criticism is unfair."},
		"no_empathy":             {"The statement does not acknowledge what this means for the people affected.", "Name the impact and show you understand it: “we understand this is worrying for you”."},
		"no_empathy.apology":     {"The incident is classified as preventable, but the statement does not apologise.", "Apologise clearly and without conditions: “we are sorry that this happened”."},
		"no_next_step":           {"The statement gives no next step, no place to find more information and no time for the next update.", "Say what happens next and when: “we will post an update at 15:00 on example.com/status”."},
		"speculation":            {"“%s” speculates about something that is not confirmed.", "State only what you know, and frame the rest as uncertain: “we do not know the cause yet”."},
		"forbidden_word":         {"“%s” is on the plan's list of words to avoid.", "Rephrase without it."},
		"forbidden_word.instead": {"“%s” is on the plan's list of words to avoid.", "Use “%s” instead."},
		"jargon":                 {"“%s” is internal jargon that readers may not understand.", "Use plain words that a customer would use."},
		"jargon.instead":         {"“%s” is internal jargon that readers may not understand.", "Say “%s” instead."},
		"formality.mixed":        {"“%s” mixes the informal and the formal form of address (u and jij).", "Use one form throughout."},
		"formality.u":            {"“%s” is informal, but the plan addresses people as “u”.", "Use the formal form: u, uw."},
		"formality.jij":          {"“%s” is formal, but the plan addresses people as “jij”.", "Use the informal form: je, jij, jouw."},
		"too_long":               {"The text is %d %s over the limit of %d.", "Shorten it, or post it as a thread where the platform allows one."},
	},
	consistency: map[string]msg{
		Contradiction: {"This variant gives the %s as “%s” where the core message says “%s”.", "Use “%s”, as in the core message."},
		Missing:       {"This variant leaves out the %s “%s” of the core message.", "Add “%s”, or check that leaving it out is intended."},
		Added:         {"This variant adds the %s “%s”, which the core message does not have.", "Remove “%s”, or add it to the core message so every channel says it."},
	},
	factKinds: map[FactKind]string{
		FactNumber: "number", FactDate: "date", FactTime: "time", FactURL: "link", FactEmail: "e-mail address",
		FactPhone: "phone number", FactName: "name",
	},
	render: map[string]string{
		"unfilled":  "The variable {{%s}} has no value.",
		"malformed": "“%s” looks like a variable but is not one; write {{name}} with letters, digits and _ only.",
	},
	units: map[string]string{UnitChars: "characters", UnitGraphemes: "characters", UnitWeighted: "weighted characters"},
}
