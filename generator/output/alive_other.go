//go:build !unix && !windows

package output

// alive cannot tell here, so a lock counts as held until deleted by hand.
func alive(pid int) bool { return true }
