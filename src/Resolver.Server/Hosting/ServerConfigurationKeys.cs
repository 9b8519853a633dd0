namespace Resolver.Server.Hosting;

/// <summary>Configuration paths the command line writes to.</summary>
public static class ServerConfigurationKeys
{
    public const string Listen = "Resolver:Listen";
    public const string Upstreams = "Resolver:Upstreams";
    public const string ZonesDirectory = "Resolver:ZonesDirectory";
    public const string ListenTls = "Resolver:ListenTls";
    public const string ListenHttps = "Resolver:ListenHttps";
    public const string TlsCaFile = "Resolver:Tls:CaFile";
    public const string MetricsListen = "Resolver:Metrics:Listen";
}
