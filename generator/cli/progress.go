package cli

import (
	"fmt"
	"io"
	"os"
	"sync"

	ucli "github.com/urfave/cli/v2"
)

// progressThreshold is the number of sites from which generate reports
// progress; smaller runs finish before anyone would look.
const progressThreshold = 20

// progress writes "N/M sites" on one terminal line while a large run
// renders. It stays quiet unless w is a terminal, so logs and CI output
// carry no control characters. It uses no colour (NO_COLOR has nothing to
// turn off).
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	done  int
	total int
}

func newProgress(c *ucli.Context, total int) *progress {
	w := c.App.ErrWriter
	f, ok := w.(*os.File)
	if !ok || total < progressThreshold || c.Bool("quiet") {
		return nil
	}
	if info, err := f.Stat(); err != nil || info.Mode()&os.ModeCharDevice == 0 {
		return nil
	}
	return &progress{w: w, total: total}
}

// step counts one site; a nil progress does nothing.
func (p *progress) step() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done++
	fmt.Fprintf(p.w, "\r%d/%d sites", p.done, p.total)
	if p.done == p.total {
		fmt.Fprint(p.w, "\r\033[K")
	}
}
