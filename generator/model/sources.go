package model

// Transition documents one transition of the model: the statement or
// cmdlet, what the model does, how it refuses, and the page it comes from.
// docs/model.md is generated from Transitions and Assumptions.
type Transition struct {
	Name    string
	Effect  string
	Refuses string
	Source  string
}

// Assumption is something the model needs that no page confirms: a lab
// should check these first.
type Assumption struct {
	ID   string
	Text string
}

// Pages the transitions cite.
const (
	pageBackupRestoreInterop = `"Backup and Restore: Interoperability and Coexistence", section "Database Mirroring and Backup and Restore" (learn.microsoft.com/sql/relational-databases/backup-restore/backup-and-restore-interoperability-and-coexistence-sql-server; SQL Server 2008: ms191235)`
	pageTailLog              = `"Tail-Log Backups (SQL Server)" (learn.microsoft.com/sql/relational-databases/backup-restore/tail-log-backups-sql-server)`
	pageBackup               = `"BACKUP (Transact-SQL)" (learn.microsoft.com/sql/t-sql/statements/backup-transact-sql)`
	pageRestore              = `"RESTORE Statements (Transact-SQL)" (learn.microsoft.com/sql/t-sql/statements/restore-statements-transact-sql)`
	pageRecoveryPaths        = `"Recovery Paths" (learn.microsoft.com/previous-versions/sql/sql-server-2008-r2/ms175078(v=sql.105))`
	pageErrors               = `"Database Engine events and errors" (learn.microsoft.com/sql/relational-databases/errors-events/database-engine-events-and-errors): 3101, 3104, 4305, 4326, 4330, 1478, 1477, 1422, 1455, 32007`
	pageAlterMirroring       = `"ALTER DATABASE Database Mirroring" (learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-database-mirroring)`
	pageRoleSwitching        = `"Role Switching During a Database Mirroring Session" (learn.microsoft.com/sql/database-engine/database-mirroring/role-switching-during-a-database-mirroring-session-sql-server)`
	pageRemoveMirroring      = `"Removing Database Mirroring (SQL Server)" (learn.microsoft.com/sql/database-engine/database-mirroring/removing-database-mirroring-sql-server)`
	pageSetOptions           = `"ALTER DATABASE SET Options" (learn.microsoft.com/sql/t-sql/statements/alter-database-transact-sql-set-options)`
	pageMirroringAndLS       = `"Database Mirroring and Log Shipping (SQL Server)" (learn.microsoft.com/sql/database-engine/database-mirroring/database-mirroring-and-log-shipping-sql-server)`
	pageLSProcs              = `"sp_add_log_shipping_primary_database", "sp_add_log_shipping_secondary_database", "sp_delete_log_shipping_secondary_database" and "Remove Log Shipping (SQL Server)" (learn.microsoft.com/sql/relational-databases/system-stored-procedures/, learn.microsoft.com/sql/database-engine/log-shipping/remove-log-shipping-sql-server)`
	pageChangeRoles          = `"Change Roles Between Primary and Secondary Log Shipping Servers (SQL Server)" (learn.microsoft.com/sql/database-engine/log-shipping/change-roles-between-primary-and-secondary-log-shipping-servers-sql-server)`
	pageFailOverLS           = `"Fail Over to a Log Shipping Secondary (SQL Server)" (learn.microsoft.com/sql/database-engine/log-shipping/fail-over-to-a-log-shipping-secondary-sql-server)`
	pageCopyOnly             = `"Copy-Only Backups (SQL Server)" (learn.microsoft.com/sql/relational-databases/backup-restore/copy-only-backups-sql-server)`
	pageBackupset            = `"backupset (Transact-SQL)" and "restorehistory (Transact-SQL)" (learn.microsoft.com/sql/relational-databases/system-tables/)`
	pageReadOnlyBackup       = `"Backing Up Read-Only Databases" (SQL Server 2008 Books Online, msdn.microsoft.com/library/ms190374)`
	pageDropDatabase         = `"DROP DATABASE (Transact-SQL)" (learn.microsoft.com/sql/t-sql/statements/drop-database-transact-sql)`
	pageLyncFailover         = `Lync Server 2013 "Failing over Persistent Chat Server" and Skype for Business Server 2015 "Manage high availability and disaster recovery for Persistent Chat Server" (learn.microsoft.com/skypeforbusiness/manage/persistent-chat/high-availability-and-disaster-recovery)`
	pageLyncFailback         = `Lync Server 2013 "Failing back Persistent Chat Server" (TechNet JJ204970)`
	pageSetState             = `"Set-CsPersistentChatState" and "Get-CsPersistentChatState" (learn.microsoft.com/powershell/module/skype/set-cspersistentchatstate)`
	pageSetActive            = `"Set-CsPersistentChatActiveServer" (learn.microsoft.com/powershell/module/skype/set-cspersistentchatactiveserver)`
	pageInstallMirror        = `"Install-CsMirrorDatabase" (learn.microsoft.com/powershell/module/skype/install-csmirrordatabase) and "Deploying SQL mirroring for Back End Server high availability"`
	pageDatabaseFailover     = `"Invoke-CsDatabaseFailover" (learn.microsoft.com/powershell/module/skype/invoke-csdatabasefailover) and Lync 2013 "Failing over a mirrored database"`
	pagePoolFailover         = `Lync Server 2013 "Failing over a pool" (TechNet JJ204678) and "Get-CsManagementStoreReplicationStatus"`
	pageShouldContinue       = `"Everything you wanted to know about ShouldProcess" (learn.microsoft.com/powershell/scripting/learn/deep-dives/everything-about-shouldprocess) and Cmdlet.ShouldContinue`
	pageUserAccess           = `"ALTER DATABASE SET Options", section "Database user access options" (RESTRICTED_USER: only db_owner, dbcreator and sysadmin connect)`
)

// Transitions is the model's table of transitions, in the order
// docs/model.md lists them.
var Transitions = []Transition{
	{"BACKUP DATABASE", "Writes a full backup of the database's current content to the file (a new backup set), records it in msdb.dbo.backupset; a full backup starts a log chain in FULL recovery (COPY_ONLY does not); it breaks no log chain.",
		"Refused on a mirror or a RESTORING database (\"Backup and restore of the mirror database are not allowed\"), and on an OFFLINE one.",
		pageBackupRestoreInterop + "; " + pageBackup + "; " + pageCopyOnly + "; " + pageReadOnlyBackup},
	{"BACKUP LOG", "Writes the log from the last log backup (last_log_backup_lsn) to the current end; a log backup that is not COPY_ONLY moves last_log_backup_lsn; WITH NORECOVERY leaves the database RESTORING and marks the backup set is_force_offline.",
		"Refused without a log chain (no full backup yet); refused on a mirror; WITH NORECOVERY is refused on a mirroring principal; WITH NORECOVERY fails with 3101 while other sessions use the database.",
		pageBackup + "; " + pageTailLog + "; " + pageBackupRestoreInterop + "; " + pageErrors},
	{"RESTORE DATABASE ... FROM", "Replaces the database with the full backup's content, RESTORING with NORECOVERY; WITH RECOVERY it comes ONLINE and starts a new recovery fork; the user access mode recorded in the backup comes back with it; msdb.dbo.restorehistory gets a row.",
		"3104 on a database in a mirroring session; 3101 when the database exists, is ONLINE and in use; an existing database needs REPLACE.",
		pageRestore + "; " + pageRecoveryPaths + "; " + pageErrors},
	{"RESTORE LOG", "Applies a log backup whose range contains the database's current point: it moves to the end of the backup.",
		"4326 when the backup ends before the database's point (too early, already applied); 4305 when it begins after it (a gap); 4330 when it is on another recovery path (fork); 3104 on a mirror in a session; only on a RESTORING database.",
		pageRestore + "; " + pageRecoveryPaths + "; " + pageErrors},
	{"RESTORE DATABASE ... WITH RECOVERY", "Brings a RESTORING database online; it starts a new recovery fork, so that no other copy's later log applies to it or its log to them.",
		"3104 while it is a mirror in a session; nothing to do on an ONLINE database.",
		pageRemoveMirroring + "; " + pageRecoveryPaths + "; " + pageErrors},
	{"ALTER DATABASE SET PARTNER = (mirror, then principal)", "On the RESTORING mirror first, then on the principal: the session starts SYNCHRONIZED at SAFETY FULL and the mirror receives every log record from then on.",
		"The principal refuses when the mirror's point is outside the principal's log still available (1478: a log backup was taken after the seed); both sides need the endpoints; the mirror must be RESTORING and not in another session.",
		pageAlterMirroring + "; " + pageErrors},
	{"ALTER DATABASE SET WITNESS", "On the principal: automatic failover with the witness.", "All three instances must be connected.", pageAlterMirroring},
	{"Synchronous mirroring (SAFETY FULL)", "A transaction commits once the mirror has hardened its log, so a SYNCHRONIZED mirror holds every acknowledged write; a session whose partner stops answering is DISCONNECTED and catches up once both answer again.", "-", pageAlterMirroring + "; " + pageRoleSwitching},
	{"Automatic failover (witness)", "When the principal stops answering and the mirror and the witness still see each other, a SYNCHRONIZED mirror becomes the principal; the old principal rejoins as the mirror when it returns.", "Not without a witness, and not from a mirror that was not SYNCHRONIZED.", pageRoleSwitching},
	{"ALTER DATABASE SET PARTNER OFF", "On either partner: ends the session on both; the principal stays ONLINE, the mirror stays RESTORING.", "-", pageAlterMirroring + "; " + pageRemoveMirroring},
	{"ALTER DATABASE SET PARTNER FAILOVER", "On the principal: the roles swap, no data lost.", "1477 without SAFETY FULL; 1422 when the mirror has not caught up (not SYNCHRONIZED).", pageAlterMirroring + "; " + pageRoleSwitching + "; " + pageErrors},
	{"ALTER DATABASE SET PARTNER FORCE_SERVICE_ALLOW_DATA_LOSS", "On the mirror: it becomes the principal with what it had received, starting a new recovery fork; the session is suspended, and the old principal's unsent log is lost when it rejoins.",
		"1455 when the principal is still connected (it must be down) or the witness is connected to the principal.", pageAlterMirroring + "; " + pageRoleSwitching + "; " + pageErrors},
	{"ALTER DATABASE SET OFFLINE / SET RESTRICTED_USER / SET MULTI_USER WITH ROLLBACK IMMEDIATE", "Ends the other sessions; OFFLINE takes the database offline; RESTRICTED_USER admits only db_owner, dbcreator and sysadmin.",
		"A RESTORING database cannot be set OFFLINE or ONLINE.", pageSetOptions + "; " + pageUserAccess},
	{"ALTER DATABASE SET SINGLE_USER WITH ROLLBACK IMMEDIATE", "Ends the other sessions and admits one connection at a time; the scripts run from master, so that one connection is free, and a Persistent Chat server that reconnects takes it (see assumption single-user-race). The scripts use it nowhere: they fence with RESTRICTED_USER or OFFLINE.",
		"Only on an ONLINE database.", pageSetOptions},
	{"DROP DATABASE", "Removes the database (a RESTORING or OFFLINE one too) and deletes its disk files, except when the database or one of its files is OFFLINE: those files stay on disk (the scripts refuse to drop an OFFLINE copy and list its files instead).", "Refused while it is in a mirroring session (remove mirroring first).", pageDropDatabase + "; " + pageRemoveMirroring},
	{"Log-shipping procedures", "sp_add_log_shipping_primary_database adds the primary row and a disabled backup job; sp_add_log_shipping_primary_secondary registers the secondary; sp_add_log_shipping_secondary_primary and _secondary_database add the copy and restore jobs; sp_delete_log_shipping_secondary_database removes the secondary database (and the secondary_primary row and jobs when nothing else uses them); sp_delete_log_shipping_primary_secondary and _primary_database remove the primary side and its job.",
		"32007 when the primary database is not ONLINE; 32009 when the entry exists.", pageLSProcs + "; " + pageErrors},
	{"Log-shipping backup job", "On the principal (or an unmirrored ONLINE primary) a log backup to the share; on a mirror the job logs a message and reports success, writing nothing; after a mirror failover the new principal's job ships to the same share and the secondary keeps its primary_server.",
		"-", pageMirroringAndLS},
	{"Log-shipping copy and restore jobs", "The copy job copies the share's log backups not yet copied; the restore job restores the copied ones in order, skipping those already applied.",
		"The copy job fails when the share does not answer; the restore job stops at a backup it cannot apply (gap or fork).", pageLSProcs + "; " + pageFailOverLS},
	{"Role change by tail-log backup", "A primary that ends with a tail-log backup WITH NORECOVERY, restored on the other side before its recovery, can then restore the new primary's log backups without being re-initialized.",
		"-", pageChangeRoles + "; " + pageFailOverLS},
	{"Set-CsPersistentChatState", "Sets the pool state: Normal uses the primary databases, FailedOver the backup databases; every server of the pool follows.", "Needs the Central Management store.", pageSetState + "; " + pageLyncFailover},
	{"Set-CsPersistentChatActiveServer", "-ActiveServers $null clears the list; @{Add=...} adds servers. Only active servers accept new connections.", "Needs the Central Management store.", pageSetActive},
	{"Install-CsMirrorDatabase", "Backs up the principal's database to the file share, restores it on the mirror the topology names, and starts the session with the topology's witness.",
		"Needs the Central Management store (it reads the topology); see assumption install-warnings.", pageInstallMirror + "; " + pageLyncFailover},
	{"Invoke-CsDatabaseFailover", "Moves the principal role of the pool's database to the partner -NewPrincipal names (a planned failover).", "Fails without a mirror; see assumption failover-force.", pageDatabaseFailover},
	{"Chat writes", "A write is acknowledged when an active server reaches a copy of mgc that accepts it: with the pool Normal the principal of the primary store and its mirror (the topology's failover partner), with the pool FailedOver the backup store and its mirror. A synchronized mirror has the write too.",
		"A RESTORING, OFFLINE or read-only copy, or one in RESTRICTED_USER mode (see assumption restricted-user), accepts none.", pageLyncFailover + "; " + pageSetActive},
	{"Points of no return", "ShouldContinue asks whatever -Confirm, $ConfirmPreference or an earlier \"Yes to All\" say; ShouldProcess returns $false under -WhatIf and after \"No\".", "-", pageShouldContinue},
}

// Assumptions lists what the model assumes without a page that says it.
var Assumptions = []Assumption{
	{"restricted-user", "The Persistent Chat servers' logins are not db_owner in mgc, nor dbcreator or sysadmin: a database in RESTRICTED_USER mode refuses them, so no chat write lands between the mode change and the tail-log backup."},
	{"single-user-race", "A database set to SINGLE_USER from a session in master is taken by the first connection that arrives: a Persistent Chat server reconnecting, an Agent job, or the statistics thread the SINGLE_USER section of \"ALTER DATABASE SET Options\" warns about (AUTO_UPDATE_STATISTICS_ASYNC takes a connection). The model lets a running pool server take it at once."},
	{"install-warnings", "Install-CsMirrorDatabase reports a database it could not mirror (for example one that exists on the mirror without -DropExistingDatabasesOnMirror) with a warning, not an error, and leaves no session; the engine fails the step on any warning and reads the session back."},
	{"install-backups", "Install-CsMirrorDatabase sets the FULL recovery model on the principal's database if needed and takes its own full and log backups there without breaking a log chain the scripts rely on (during a DR period the backup instance is not a log-shipping primary)."},
	{"install-confirm", "Install-CsMirrorDatabase -Confirm:$false answers its per-database question (the documentation answers it with A): if that question is ShouldContinue, the step waits for the operator."},
	{"failover-force", "Invoke-CsDatabaseFailover -Force, when the principal is not accessible, forces service on the mirror (what the mirror had not received is lost)."},
	{"offline-mirrored", "ALTER DATABASE SET OFFLINE is refused on a database in a mirroring session (commonly error 1468); the scripts remove mirroring first."},
	{"readonly-norecovery", "The model does not take a read-only database WITH NORECOVERY: the scripts never set READ_ONLY."},
	{"restore-offline", "RESTORE ... WITH REPLACE may restore over an OFFLINE database (error texts 3106, 3107 and 4307 tell users to take the database offline first)."},
	{"restored-uuid", "When a backup is restored, the restoring instance's msdb.dbo.backupset row for it carries the backup set's backup_set_uuid (RESTORE HEADERONLY BackupSetGUID), so the engine can tell which backup an instance last restored."},
	{"sqllogship-skip", "The log-shipping restore job skips a log backup that is too early to apply (already restored) and stops at one it cannot apply."},
	{"compliance-backup", "Topology Builder's Install Database puts an empty mgccomp on the compliance backup store, which a DR failover mirrors in the backup data center."},
	{"active-property", "Get-CsService -PersistentChatServer has an ActiveServers property listing the active servers' FQDNs (third-party code reads it; Microsoft's reference does not list it)."},
	{"cms-status", "Get-CsManagementStoreReplicationStatus -CentralManagementStoreStatus reports an ActiveMasterFqdn whenever the Central Management store is available (Lync 2013 \"Failing over a pool\")."},
	{"partner-off-disconnected", "SET PARTNER OFF on the principal while its mirror does not answer ends the session on the mirror too once it reconnects; if the mirror keeps its old session (partner the principal, RESTORING), the re-seed's restore step takes it as done and the partner step fails (Lync review 2, finding 6). The model ends it on both."},
	{"replication-uptodate", "Get-CsManagementStoreReplicationStatus -ReplicaFqdn returns an object with an UpToDate property for a Persistent Chat server (the reference's example filters on UpToDate), and a server whose replica is UpToDate has the pool state set last; the scripts wait for it before activating servers. The model does not model replication."},
	{"active-remove", "Set-CsPersistentChatActiveServer -ActiveServers @{Remove = ...} removes servers from the active list (the parameter is a PSListModifier; the reference's examples show @{Add} and $null): the topology script removes and adds the difference, so servers that stay active keep their connections."},
	{"pending-mirror", "A mirror that ran SET PARTNER while its principal never did (or failed with 1478) shows the principal as partner, role MIRROR and a state that is not SYNCHRONIZED (the model: DISCONNECTED); SET PARTNER OFF on it ends its side and leaves it RESTORING. The engine reads a seed's mirror as already following its principal only when it is SYNCHRONIZED."},
	{"restore-guid", "RESTORE gives the restored copy a new database_guid (\"backupset\": \"When the database is restored, a new value is assigned\"), so the backupset rows an instance imports by restoring carry the source's database_guid, not its own, and a seed or log backup taken before a restore no longer matches the copy."},
	{"mirror-failover-partner", "With the pool Normal, a Persistent Chat server whose principal becomes unreachable reaches the mirror the topology names (the connection's failover partner), and with the pool FailedOver the backup mirror."},
}
