namespace Resolver.Server.Control;

/// <summary>The control channel (configuration section Resolver:Control).</summary>
public sealed class ControlOptions
{
    /// <summary>Where `resolver control` finds the service when neither side is told otherwise.</summary>
    public const string DefaultSocket = "/run/resolver/control.sock";

    /// <summary>
    /// Path of the Unix socket `resolver control` talks to (mode 0600, only the service's own user or root is
    /// served). Empty (the default): no control channel. The shipped systemd unit sets <see cref="DefaultSocket"/>.
    /// A Unix socket rather than a TCP port: a query client cannot reach it, and the kernel tells who connected.
    /// </summary>
    public string? Socket { get; set; }
}
