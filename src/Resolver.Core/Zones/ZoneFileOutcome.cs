namespace Resolver.Core.Zones;

/// <summary>One zone file as read this time: its zone, or the error that kept it out.</summary>
/// <param name="Name">File name without folder (the key a reload matches versions by).</param>
/// <param name="Shown">The file as messages show it.</param>
internal sealed record ZoneFileOutcome(string Name, string Shown, Zone? Zone, string? Error, List<string> Warnings);
