// Package collect defines the document that the collector script writes
// (schema version 1): what a live Persistent Chat deployment and its SQL
// Server instances report about themselves. It decodes the file in the
// encodings Windows PowerShell writes, refuses anything that looks like a
// credential, and describes the format as a JSON Schema. It knows nothing
// of site files: packages importer and drift read it.
//
// Field names are the property names of the Lync / Skype for Business
// cmdlets and the column names of the SQL Server catalog views and msdb
// tables they come from, in snake case; each field's doc tag names its
// source. Where Microsoft's reference does not document a property's name
// or form, the doc tag says so: a lab run must confirm it.
package collect

// SchemaVersion is the only collected-document version this build reads.
const SchemaVersion = 1

// Generator is the value of the generator field of every collection.
const Generator = "pchat-hadr collector"

// Document is one run of the collector.
type Document struct {
	SchemaVersion    int        `json:"schema_version" required:"true" doc:"Version of this document's layout; this release reads 1."`
	Generator        string     `json:"generator" required:"true" doc:"Always \"pchat-hadr collector\"."`
	CollectedAt      string     `json:"collected_at" required:"true" doc:"When the collector ran, UTC, yyyy-MM-ddTHH:mm:ssZ. When several collections in a folder hold one pool, drift uses the latest."`
	ProductVersion   string     `json:"product_version" null:"true" doc:"Get-CsServerVersion on the machine that ran the collector: the product name and version number, such as Skype for Business Server 2015 (6.0.9319.0). The cmdlet is documented to return a string; the exact wording is not."`
	Pools            []Pool     `json:"pools" required:"true" doc:"Every Persistent Chat pool of Get-CsService -PersistentChatServer (or those named with -PoolFqdn)."`
	DatabaseServices []string   `json:"database_services" required:"true" doc:"Identity of every Get-CsService -PersistentChatDatabase and -PersistentChatComplianceDatabase entry, such as PersistentChatStore:sql01.contoso.com\\rtc."`
	Instances        []Instance `json:"instances" required:"true" doc:"Every SQL Server instance the collector found in the topology or was given with -AlsoInstance, with what it reports."`
	Warnings         []string   `json:"warnings" required:"true" doc:"What the collector could not read, one sentence each."`
}

// Pool is one Get-CsService -PersistentChatServer entry and what the other
// cmdlets report about its pool.
type Pool struct {
	Identity        string        `json:"identity" required:"true" doc:"Get-CsService Identity, documented as PersistentChatServer:<pool fqdn>."`
	PoolFQDN        string        `json:"pool_fqdn" required:"true" doc:"Get-CsService PoolFqdn."`
	Version         string        `json:"version" null:"true" doc:"Get-CsService Version of the service, as text. Not in Microsoft's reference."`
	ActiveServers   []string      `json:"active_servers" required:"true" doc:"Get-CsService ActiveServers: the servers that accept new connections. Not in Microsoft's reference; the collector records a missing property as a warning."`
	InactiveServers []string      `json:"inactive_servers" required:"true" doc:"Get-CsService InactiveServers. Not in Microsoft's reference."`
	Computers       []string      `json:"computers" required:"true" doc:"Get-CsPool Computers of the pool: every server in it."`
	State           string        `json:"state" null:"true" doc:"Get-CsPersistentChatState PoolState: Normal or FailedOver; null when the cmdlet failed."`
	Databases       PoolDatabases `json:"databases" required:"true" doc:"The SQL stores the topology gives the pool, as Get-CsService shows them."`
}

// PoolDatabases are the eight store properties of the Persistent Chat
// service, each a store identity such as PersistentChatStore:fqdn\instance,
// or null when the topology has none.
type PoolDatabases struct {
	PersistentChat                       string `json:"persistent_chat" null:"true" doc:"PersistentChatDatabase: the principal of mgc (PersistentChatStore:<fqdn>[\\<instance>]). The property name and this form are not in Microsoft's reference."`
	MirrorPersistentChat                 string `json:"mirror_persistent_chat" null:"true" doc:"MirrorPersistentChatDatabase: the mirror of mgc. Not in Microsoft's reference."`
	BackupPersistentChat                 string `json:"backup_persistent_chat" null:"true" doc:"BackupPersistentChatDatabase: the log-shipping secondary. Not in Microsoft's reference."`
	BackupMirrorPersistentChat           string `json:"backup_mirror_persistent_chat" null:"true" doc:"BackupMirrorPersistentChatDatabase: the backup's mirror. Not in Microsoft's reference."`
	PersistentChatCompliance             string `json:"persistent_chat_compliance" null:"true" doc:"PersistentChatComplianceDatabase: mgccomp (PersistentChatComplianceStore:...). Not in Microsoft's reference."`
	MirrorPersistentChatCompliance       string `json:"mirror_persistent_chat_compliance" null:"true" doc:"MirrorPersistentChatComplianceDatabase. Not in Microsoft's reference."`
	BackupPersistentChatCompliance       string `json:"backup_persistent_chat_compliance" null:"true" doc:"BackupPersistentChatComplianceDatabase. Not in Microsoft's reference."`
	BackupMirrorPersistentChatCompliance string `json:"backup_mirror_persistent_chat_compliance" null:"true" doc:"BackupMirrorPersistentChatComplianceDatabase. Not in Microsoft's reference."`
}

// Instance is one SQL Server instance and what it reports.
type Instance struct {
	Server      string        `json:"server" required:"true" doc:"The name the collector connected to (Windows authentication): fqdn or fqdn\\instance."`
	FoundBy     []string      `json:"found_by" required:"true" doc:"Where the collector found the name: a pool's store property (pool:<fqdn>:<property>), database_services, or parameter (-AlsoInstance)."`
	Error       string        `json:"error" null:"true" doc:"Why nothing was read, when the connection or the first query failed; every other field is then empty."`
	Properties  Properties    `json:"properties" required:"true" doc:"SERVERPROPERTY values."`
	Services    []Service     `json:"services" null:"true" doc:"sys.dm_server_services rows; null before SQL Server 2008 R2 SP1, which lacks the view (service accounts are then not collected)."`
	Endpoint    *Endpoint     `json:"endpoint" null:"true" doc:"The database mirroring endpoint (sys.database_mirroring_endpoints joined to sys.tcp_endpoints); null when there is none."`
	Databases   []Database    `json:"databases" required:"true" doc:"mgc and mgccomp as this instance knows them (sys.databases, sys.database_mirroring, sys.master_files)."`
	Witnessing  []WitnessRole `json:"witnessing" required:"true" doc:"sys.database_mirroring_witnesses: the sessions this instance is the witness of."`
	LogShipping LogShipping   `json:"log_shipping" required:"true" doc:"The msdb log-shipping configuration of this instance."`
}

// Properties holds SERVERPROPERTY values.
type Properties struct {
	MachineName    string `json:"machine_name" null:"true" doc:"SERVERPROPERTY('MachineName'): the computer's NetBIOS name."`
	InstanceName   string `json:"instance_name" null:"true" doc:"SERVERPROPERTY('InstanceName'): null for the default instance."`
	ServerName     string `json:"server_name" null:"true" doc:"SERVERPROPERTY('ServerName'): MACHINE or MACHINE\\INSTANCE, the name log shipping records."`
	ProductVersion string `json:"product_version" null:"true" doc:"SERVERPROPERTY('ProductVersion'): major.minor.build.revision."`
	ProductLevel   string `json:"product_level" null:"true" doc:"SERVERPROPERTY('ProductLevel'): RTM, SPn."`
	Edition        string `json:"edition" null:"true" doc:"SERVERPROPERTY('Edition')."`
}

// Service is one row of sys.dm_server_services.
type Service struct {
	ServiceName    string `json:"servicename" required:"true" doc:"servicename, such as SQL Server (PCHAT) or SQL Server Agent (PCHAT); the form of the name is not in Microsoft's reference."`
	ServiceAccount string `json:"service_account" null:"true" doc:"service_account: the account the service runs as."`
	Status         string `json:"status_desc" null:"true" doc:"status_desc: Running, Stopped, ..."`
}

// Endpoint is the instance's database mirroring endpoint.
type Endpoint struct {
	Name           string `json:"name" required:"true" doc:"sys.endpoints name."`
	State          string `json:"state_desc" null:"true" doc:"sys.endpoints state_desc: STARTED, STOPPED or DISABLED."`
	Role           string `json:"role_desc" null:"true" doc:"role_desc: NONE, PARTNER, WITNESS or ALL."`
	Encryption     bool   `json:"is_encryption_enabled" required:"true" doc:"is_encryption_enabled."`
	Algorithm      string `json:"encryption_algorithm_desc" null:"true" doc:"encryption_algorithm_desc: NONE, RC4, AES, or a list such as RC4, AES."`
	Authentication string `json:"connection_auth_desc" null:"true" doc:"connection_auth_desc: NTLM, KERBEROS, NEGOTIATE, CERTIFICATE, ..."`
	Port           int    `json:"port" required:"true" doc:"sys.tcp_endpoints port."`
}

// Database is mgc or mgccomp on one instance.
type Database struct {
	Name          string     `json:"name" required:"true" doc:"sys.databases name: mgc or mgccomp."`
	State         string     `json:"state_desc" null:"true" doc:"sys.databases state_desc: ONLINE, RESTORING, ..."`
	RecoveryModel string     `json:"recovery_model_desc" null:"true" doc:"sys.databases recovery_model_desc: FULL, BULK_LOGGED or SIMPLE."`
	Mirroring     *Mirroring `json:"mirroring" null:"true" doc:"sys.database_mirroring; null when the database is not mirrored or not online (a mirror shows its row to sysadmin only)."`
	Files         []File     `json:"files" required:"true" doc:"sys.master_files rows of the database."`
}

// Mirroring is the sys.database_mirroring row of a mirrored database.
type Mirroring struct {
	Role            string `json:"mirroring_role_desc" null:"true" doc:"PRINCIPAL or MIRROR."`
	State           string `json:"mirroring_state_desc" null:"true" doc:"SYNCHRONIZED, SYNCHRONIZING, SUSPENDED, DISCONNECTED, PENDING_FAILOVER."`
	SafetyLevel     string `json:"mirroring_safety_level_desc" null:"true" doc:"FULL or OFF."`
	Partner         string `json:"mirroring_partner_name" null:"true" doc:"The partner's server name; in practice its endpoint address TCP://fqdn:port, as given to SET PARTNER (the reference says only server name)."`
	PartnerInstance string `json:"mirroring_partner_instance" null:"true" doc:"The partner's MACHINE or MACHINE\\INSTANCE name."`
	Witness         string `json:"mirroring_witness_name" null:"true" doc:"The witness's server name (TCP://fqdn:port); null without a witness."`
	WitnessState    string `json:"mirroring_witness_state_desc" null:"true" doc:"UNKNOWN, CONNECTED or DISCONNECTED; null without a witness."`
}

// File is one sys.master_files row.
type File struct {
	LogicalName  string `json:"name" required:"true" doc:"Logical file name (RESTORE ... MOVE takes it)."`
	PhysicalName string `json:"physical_name" required:"true" doc:"Operating-system file name."`
	Type         string `json:"type_desc" null:"true" doc:"ROWS or LOG."`
}

// WitnessRole is one sys.database_mirroring_witnesses row.
type WitnessRole struct {
	Database    string `json:"database_name" required:"true" doc:"database_name."`
	Principal   string `json:"principal_server_name" null:"true" doc:"principal_server_name."`
	Mirror      string `json:"mirror_server_name" null:"true" doc:"mirror_server_name."`
	SafetyLevel string `json:"safety_level_desc" null:"true" doc:"safety_level_desc: UNKNOWN, OFF or FULL."`
	SyncState   string `json:"partner_sync_state_desc" null:"true" doc:"partner_sync_state_desc: SYNCHRONIZED or UNSYNCHRONIZED."`
	Suspended   bool   `json:"is_suspended" required:"true" doc:"is_suspended."`
}
