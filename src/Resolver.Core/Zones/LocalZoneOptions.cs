namespace Resolver.Core.Zones;

/// <summary>Settings of the local zones stage (suggested section <c>Resolver:Zones</c>).</summary>
public sealed class LocalZoneOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string SectionName = "Resolver:Zones";

    /// <summary>Folder whose <c>*.zone</c> files are loaded at start and on reload.</summary>
    public string Directory { get; set; } = "zones";

    /// <summary>
    /// How many CNAMEs are followed inside the local zones for one answer. Longer chains stop
    /// there and return what was found (RFC 1034 §3.6.2 asks resolvers to bound chains).
    /// </summary>
    public int MaxCnameChain { get; set; } = 8;

    /// <summary>
    /// What to do with a name at or below a zone cut (NS below an apex): <c>false</c> (the default)
    /// passes the query on to the cache and forwarder, so a resolver's clients get the delegated
    /// zone's data; <c>true</c> answers with a referral (AA=0, NS in authority, glue in
    /// additional, RFC 1034 §4.3.2 step 3b), as an authoritative server would, which stub clients
    /// (which set RD and expect an answer) cannot follow.
    /// </summary>
    public bool AnswerReferrals { get; set; }

    /// <summary>Reload the zones when a <c>*.zone</c> file in the folder changes (SIGHUP reloads either way).</summary>
    public bool WatchForChanges { get; set; } = true;

    /// <summary>
    /// How long the folder must be quiet after a change before the reload: an editor's save (write,
    /// rename, attribute change) then costs one reload, and a half-written file is not read.
    /// </summary>
    public TimeSpan ReloadDelay { get; set; } = ZoneFolderWatcher.DefaultDelay;
}
