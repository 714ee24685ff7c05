package model

// The environment: what happens between two steps without the scripts.

// serving lists the copies of mgc the pool's servers reach in its current
// state: the primary store and its mirror (the topology's failover
// partner) when Normal, the backup store and its mirror when FailedOver
// (assumption mirror-failover-partner).
func (m *Model) serving(s *State) []int {
	if s.Pool.FailedOver {
		return []int{m.Site.Index["backup"], m.Site.Index["backup_mirror"]}
	}
	return []int{m.Site.Index["primary"], m.Site.Index["primary_mirror"]}
}

// reaches says whether the pool's servers connect to the copy on
// instance i in the pool's current state.
func (m *Model) reaches(s *State, i int) bool {
	for _, j := range m.serving(s) {
		if j == i {
			return true
		}
	}
	return false
}

// poolWritable says whether a pool server could write to the copy of mgc
// on instance i: it answers, and the copy is ONLINE, read-write and not
// restricted to administrators (assumption restricted-user).
func (m *Model) poolWritable(s *State, i int) bool {
	if !s.Inst[i].Up {
		return false
	}
	w := writable(s.db(i, "mgc"))
	return w == "writable" || w == "single-user"
}

// serversUp says whether some Persistent Chat server of the pool runs. A
// server taken off the active list keeps the client connections it had,
// so writes go on through it ("Set-CsPersistentChatActiveServer"): any
// running server counts, active or not.
func (m *Model) serversUp(s *State) bool {
	for fqdn, dc := range m.Site.Servers {
		if !s.ServerDown[fqdn] && !s.DCDown[dc] {
			return true
		}
	}
	return false
}

// Write is one chat message posted by a client: it is acknowledged when a
// running server reaches a copy that accepts it, and then that copy (and
// its synchronized mirror) holds it. It returns whether it was.
func (m *Model) Write(s *State) bool {
	if !m.serversUp(s) {
		return false
	}
	for _, i := range m.serving(s) {
		if i >= 0 && m.poolWritable(s, i) {
			n := s.logRecord(i, "mgc", true)
			s.Acked = append(s.Acked, n)
			s.db(i, "mgc").Sessions = true
			return true
		}
	}
	return false
}

// Resync lets disconnected mirroring sessions catch up once both partners
// answer again (synchronous mirroring sends the mirror what it missed).
func (m *Model) Resync(s *State) {
	for i, in := range s.Inst {
		if !in.Up {
			continue
		}
		for db, d := range in.DBs {
			if d.Mir == nil || d.Mir.Role != Principal || d.Mir.State != Disconnected || !s.Inst[d.Mir.Partner].Up {
				continue
			}
			if o := s.db(d.Mir.Partner, db); o != nil && o.Mir != nil && o.Mir.Partner == i {
				o.At, d.Mir.State, o.Mir.State = d.At, Synchronized, Synchronized
			}
		}
	}
}

// AutoFailover is the witness's automatic failover: the mirror of a
// synchronized session whose principal no longer answers becomes the
// principal, with a witness that still answers ("Role Switching During a
// Database Mirroring Session").
func (m *Model) AutoFailover(s *State) {
	for i, in := range s.Inst {
		if !in.Up {
			continue
		}
		for name, d := range in.DBs {
			if d.Mir == nil || d.Mir.Role != Mirror || d.Mir.Witness < 0 || !s.Inst[d.Mir.Witness].Up || s.Inst[d.Mir.Partner].Up {
				continue
			}
			if d.Mir.State != Synchronized && d.Mir.State != Disconnected {
				continue
			}
			d.State, d.Mir.Role, d.Mir.State = Online, Principal, Disconnected
			// The old principal rejoins the session as its mirror.
			if o := s.db(d.Mir.Partner, name); o != nil && o.Mir != nil && o.Mir.Partner == i {
				o.State, o.Mir.Role, o.Mir.State, o.Sessions = Restoring, Mirror, Disconnected, false
			}
		}
	}
}

// Quiet is the environment between steps when nobody writes: the Agent
// jobs run and sessions resynchronize.
func (m *Model) Quiet(s *State) {
	m.Resync(s)
	m.RunJobs(s)
}

// Busy is a quarter of an hour of a busy pool: clients write, the Agent
// jobs run, and more clients write.
func (m *Model) Busy(s *State) {
	m.Resync(s)
	m.Write(s)
	m.RunJobs(s)
	m.Write(s)
}

// Lost returns the acknowledged writes no copy of mgc and no backup file
// holds any more.
func (m *Model) Lost(s *State) []int {
	if len(s.Acked) == 0 {
		return nil
	}
	// Every copy and file is walked once, not once per write: this check
	// runs after every step of every path.
	var tips []int
	for _, in := range s.Inst {
		if d := in.DBs["mgc"]; d != nil {
			tips = append(tips, d.At)
		}
	}
	for _, f := range s.Files {
		if f.DB == "mgc" {
			tips = append(tips, f.To)
		}
	}
	lo := s.Acked[0]
	for _, w := range s.Acked {
		lo = min(lo, w)
	}
	// Usually one copy holds every write: the walk stops there.
	marks := map[int]struct{}{}
	missing := func() []int {
		var out []int
		for _, w := range s.Acked {
			if _, ok := marks[w]; !ok {
				out = append(out, w)
			}
		}
		return out
	}
	for _, t := range tips {
		s.Hist.mark(marks, t, lo)
		if len(missing()) == 0 {
			return nil
		}
	}
	return missing()
}

// MissingFromServing returns the acknowledged writes the copy that serves
// the pool now does not hold.
func (m *Model) MissingFromServing(s *State) []int {
	i := -1
	for _, c := range m.serving(s) {
		if c >= 0 && m.poolWritable(s, c) {
			i = c
			break
		}
	}
	if i < 0 {
		return s.Acked
	}
	d := s.db(i, "mgc")
	var out []int
	for _, w := range s.Acked {
		if !s.Hist.Holds(d.At, w) {
			out = append(out, w)
		}
	}
	return out
}

// SplitBrain says whether two copies the pool's servers reach accept
// writes at once.
func (m *Model) SplitBrain(s *State) bool {
	n := 0
	for _, i := range m.serving(s) {
		if i >= 0 && m.poolWritable(s, i) {
			n++
		}
	}
	return n > 1
}

// anyServing says whether some copy the pool reaches accepts writes.
func (m *Model) anyServing(s *State) bool {
	for _, i := range m.serving(s) {
		if i >= 0 && m.poolWritable(s, i) {
			return true
		}
	}
	return false
}
