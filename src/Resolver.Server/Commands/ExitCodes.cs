namespace Resolver.Server.Commands;

/// <summary>Exit codes of the <c>resolver</c> executable (sysexits.h, so systemd and scripts can tell them apart).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>EX_USAGE: the command line is wrong.</summary>
    public const int Usage = 64;

    /// <summary>EX_UNAVAILABLE: a listen address cannot be bound.</summary>
    public const int CannotListen = 69;

    /// <summary>EX_CONFIG: a setting is wrong.</summary>
    public const int Config = 78;

    /// <summary>dig's usage error; the lookup commands mirror their tools' exit codes, not sysexits.</summary>
    public const int DigUsage = 1;
}
