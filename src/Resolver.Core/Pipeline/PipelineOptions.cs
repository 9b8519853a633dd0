namespace Resolver.Core.Pipeline;

/// <summary>Settings of the answer rules shared by every stage (section Resolver:Pipeline).</summary>
public sealed class PipelineOptions
{
    /// <summary>
    /// The EDNS UDP payload size we advertise and accept (DNS flag day 2020: 1232 avoids IP
    /// fragmentation on common paths).
    /// </summary>
    public ushort EdnsUdpPayloadSize { get; set; } = 1232;
}
