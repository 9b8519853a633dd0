namespace Resolver.Core.Zones;

/// <summary>
/// A zone file that was not loaded, and why.
/// </summary>
/// <param name="File">The zone file, as shown in messages ("zones/example.test.zone").</param>
/// <param name="Error">"file:line: problem" (the file may be one it $INCLUDEs), or "file: problem" for the whole file.</param>
/// <param name="Kept">
/// The zone still served from this file's last good version (after a reload), or null when the
/// file serves nothing until it is fixed.
/// </param>
public sealed record ZoneFileRejection(string File, string Error, Zone? Kept)
{
    public override string ToString() => Error;
}
