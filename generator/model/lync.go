package model

import (
	"fmt"
	"strings"

	"pchat-hadr/generator/plan"
)

// The Lync / Skype for Business cmdlets the scripts call, as their
// reference pages describe them (sources.go).

func (s *State) cms() error {
	if !s.Pool.CMS {
		return fmt.Errorf("the Central Management store does not answer")
	}
	return nil
}

// SetPoolState is Set-CsPersistentChatState -PoolState.
func (s *State) SetPoolState(failedOver bool) error {
	if err := s.cms(); err != nil {
		return err
	}
	s.Pool.FailedOver = failedOver
	return nil
}

// SetActive is Set-CsPersistentChatActiveServer -ActiveServers $null, then
// @{Add = servers}.
func (s *State) SetActive(servers []string) error {
	if err := s.cms(); err != nil {
		return err
	}
	if len(servers) > 4 {
		return fmt.Errorf("at most 4 Persistent Chat servers may be active")
	}
	s.Pool.Active = sortedLower(servers)
	return nil
}

// InstallMirror is Install-CsMirrorDatabase -DatabaseType for the store on
// principal: it seeds the topology's mirror from the share and starts the
// session with the topology's witness. Its failures come back as warnings
// (assumption install-warnings).
func (m *Model) InstallMirror(s *State, db string, principal int, share string) (warnings []string) {
	if err := s.cms(); err != nil {
		return []string{err.Error()}
	}
	pr, ok := m.Site.pairOf(db, m.Site.Roles[principal])
	if !ok {
		return []string{"the topology has no mirror for this store"}
	}
	mir := m.Site.idx(pr.Mirror)
	warn := func(err error) []string { return []string{err.Error()} }
	if d := s.db(mir, db); d != nil {
		if !m.Site.Plan.Ops.DropExisting {
			return []string{fmt.Sprintf("%s already exists on the mirror %s", db, pr.Mirror.Server)}
		}
		if err := s.DropDatabase(mir, db); err != nil {
			return warn(err)
		}
	}
	// Assumption install-backups: it sets FULL recovery, and its backups
	// leave a log chain as it is (a first full backup starts one).
	full, log := share+`\`+db+".bak", share+`\`+db+".trn"
	s.Folders[share] = true
	if d := s.db(principal, db); d != nil && !d.Full {
		d.Full, d.Chain = true, false
	}
	chain := s.db(principal, db) != nil && s.db(principal, db).Chain
	for _, err := range []error{
		s.up(mir),
		s.BackupDatabase(principal, db, full, chain),
		s.BackupLog(principal, db, log, false, true),
		s.RestoreDatabase(mir, db, full, false, true),
		s.RestoreLog(mir, db, log, false),
	} {
		if err != nil {
			return warn(err)
		}
	}
	s.Inst[principal].Endpoint, s.Inst[mir].Endpoint = true, true
	if err := s.SetPartner(mir, db, principal); err != nil {
		return warn(err)
	}
	if err := s.SetPartner(principal, db, mir); err != nil {
		return warn(err)
	}
	if pr.Witness != nil {
		w := m.Site.idx(*pr.Witness)
		s.Inst[w].Endpoint = true
		if err := s.SetWitness(principal, db, w); err != nil {
			return warn(err)
		}
	}
	return nil
}

// DatabaseFailover is Invoke-CsDatabaseFailover -DatabaseType -NewPrincipal
// [-Force] on the pool's primary store pair of the database.
func (m *Model) DatabaseFailover(s *State, db, newPrincipal string, force bool) error {
	if err := s.cms(); err != nil {
		return err
	}
	var pr *plan.Pair
	for i := range m.Site.Pairs {
		if m.Site.Pairs[i].Database == db {
			pr = &m.Site.Pairs[i]
		}
	}
	if pr == nil {
		return fmt.Errorf("no mirror is configured for %s", db)
	}
	to, from := m.Site.idx(pr.Mirror), m.Site.idx(pr.Principal)
	if strings.EqualFold(newPrincipal, "Primary") {
		to, from = from, to
	}
	if d := s.db(to, db); d != nil && d.Mir != nil && d.Mir.Role == Principal {
		return nil
	}
	if s.Inst[from].Up {
		if err := s.SetPartnerFailover(from, db); err == nil || !force {
			return err
		}
	}
	if !force {
		return fmt.Errorf("the principal of %s is not accessible; use -Force", db)
	}
	// Assumption failover-force: -Force forces service on the mirror.
	return s.ForceService(to, db)
}
