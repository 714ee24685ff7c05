package plan

import (
	"sort"

	"pchat-hadr/generator/site"
)

// Rollout is the data of ROLLOUT.md: every site of a run, by wave.
type Rollout struct {
	Waves []Wave
}

// Wave is one rollout wave; number 0 holds the sites that name none.
type Wave struct {
	Number int
	Sites  []RolloutSite
}

// RolloutSite is one site's line in ROLLOUT.md.
type RolloutSite struct {
	Name, File, Product, Pool, Primary, Backup string
}

// BuildRollout groups sites by wave, waves in order and sites by name, so
// that the file does not depend on the order the sites were given in.
func BuildRollout(sites []*site.Site, files []string) Rollout {
	byWave := map[int][]RolloutSite{}
	for i, s := range sites {
		byWave[s.Site.Wave] = append(byWave[s.Site.Wave], RolloutSite{
			Name: s.Site.Name, File: files[i], Product: s.Site.Product, Pool: s.Site.PoolFQDN,
			Primary: s.DataCenters.Primary, Backup: s.DataCenters.Backup,
		})
	}
	var r Rollout
	for n, list := range byWave {
		sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
		r.Waves = append(r.Waves, Wave{Number: n, Sites: list})
	}
	// Numbered waves first, in order; sites without a wave last.
	sort.Slice(r.Waves, func(i, j int) bool {
		a, b := r.Waves[i].Number, r.Waves[j].Number
		if (a == 0) != (b == 0) {
			return b == 0
		}
		return a < b
	})
	return r
}
