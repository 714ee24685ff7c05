package site

import (
	"pchat-hadr/generator/diag"

	"fmt"
	"strings"
)

// NetworkLogin returns the Windows login under which an instance's SQL
// Server service reaches other instances over the network. A domain account
// is itself; a built-in or virtual account (LocalSystem, NETWORK SERVICE,
// NT SERVICE\...) authenticates as the computer account DOMAIN\HOST$, which
// is what Lync's own mirroring set-up relies on (design decision q). Local
// and non-domain accounts cannot authenticate to another host and are refused.
func NetworkLogin(account, adDomain, netbiosHost string) (string, error) {
	a := strings.TrimSpace(account)
	switch strings.ToUpper(a) {
	case "LOCALSYSTEM", "NT AUTHORITY\\SYSTEM", "NETWORKSERVICE", "NETWORK SERVICE",
		"NT AUTHORITY\\NETWORK SERVICE", "NT AUTHORITY\\NETWORKSERVICE":
		return computerAccount(adDomain, netbiosHost), nil
	case "LOCALSERVICE", "LOCAL SERVICE", "NT AUTHORITY\\LOCAL SERVICE", "NT AUTHORITY\\LOCALSERVICE":
		return "", fmt.Errorf("%s has no network identity; use a domain account or NETWORK SERVICE", diag.Quote(account))
	}
	if strings.Contains(a, "@") {
		return "", fmt.Errorf("%s is a user principal name; write the account as %s\\name", diag.Quote(account), adDomain)
	}
	dom, name, ok := strings.Cut(a, `\`)
	if !ok || dom == "" || name == "" || strings.Contains(name, `\`) {
		return "", fmt.Errorf("%s is not DOMAIN\\name, LocalSystem, NETWORK SERVICE or NT SERVICE\\name", diag.Quote(account))
	}
	switch {
	case strings.EqualFold(dom, "NT SERVICE"):
		return computerAccount(adDomain, netbiosHost), nil
	case dom == "." || strings.EqualFold(dom, netbiosHost):
		return "", fmt.Errorf("%s is a local account of %s, which other hosts do not accept; use a domain account or a built-in account", diag.Quote(account), netbiosHost)
	case !strings.EqualFold(dom, adDomain):
		return "", fmt.Errorf("%s is not in the site's domain %s; all instances must be in one AD domain", diag.Quote(account), adDomain)
	}
	return adDomain + `\` + name, nil
}

func computerAccount(adDomain, host string) string {
	return adDomain + `\` + strings.ToUpper(host) + "$"
}

// NetBIOS returns the computer name SQL Server reports as MachineName:
// the site's netbios_name if given, else the FQDN's host label.
func (in *Instance) NetBIOS() string {
	if in.NetBIOSName != "" {
		return in.NetBIOSName
	}
	return HostLabel(in.FQDN)
}

// InstanceName returns the SQL Server instance name, MSSQLSERVER for the
// default instance.
func (in *Instance) InstanceName() string {
	if in.Instance == "" {
		return DefaultInstanceName
	}
	return in.Instance
}

// ServerName is the name clients connect to: FQDN or FQDN\INSTANCE.
func (in *Instance) ServerName() string {
	if in.Instance == "" {
		return in.FQDN
	}
	return in.FQDN + `\` + in.Instance
}

// Key identifies an instance regardless of spelling: two roles with the
// same key are the same instance.
func (in *Instance) Key() string {
	return strings.ToLower(in.FQDN) + `\` + strings.ToUpper(in.InstanceName())
}

// Agent returns the instance's SQL Server Agent service account: the
// site's agent_account, or the default that follows the engine's account.
// A domain engine account usually runs Agent too; setup's default for a
// virtual engine account is Agent's own virtual account, which reaches
// other hosts as the computer account, like the engine's.
func (in *Instance) Agent() string {
	if in.AgentAccount != "" {
		return in.AgentAccount
	}
	dom, _, ok := strings.Cut(strings.TrimSpace(in.ServiceAccount), `\`)
	if ok && dom != "" && !strings.EqualFold(dom, "NT SERVICE") && !strings.EqualFold(dom, "NT AUTHORITY") {
		return in.ServiceAccount
	}
	if in.Instance == "" {
		return `NT SERVICE\SQLSERVERAGENT`
	}
	return `NT SERVICE\SQLAgent$` + in.Instance
}
