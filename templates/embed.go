// Package templates holds the built-in templates and the example site,
// embedded in the binary so that a single file is all a user installs.
package templates

import "embed"

// FS holds every template, addressed by its slash-separated path.
//
//go:embed sql ps runbook.md.tmpl runbook-diagram.md.tmpl runbook-permissions.md.tmpl rollout.md.tmpl example-site.toml
var FS embed.FS

// ExampleSite is the path of the embedded example site inside FS.
const ExampleSite = "example-site.toml"
