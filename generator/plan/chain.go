package plan

import "strings"

// ShareRoot is the log-shipping share itself: log shipping's backups go to
// its database folder, the switchover's tail-log backup beside it. The
// chain checks leave out every log backup written there.
func (l LogShip) ShareRoot() string {
	return strings.TrimSuffix(l.BackupDirectory, `\`+l.Database)
}
