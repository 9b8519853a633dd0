namespace Resolver.Core.Tests.Cache;

/// <summary>
/// A clock tests move by hand. Only the readings are manual: timers (Task.Delay, Polly's
/// timeouts) still run on real time, so a test can age cache entries by a day in no time while
/// upstream timeouts behave normally.
/// </summary>
internal sealed class ManualClock : TimeProvider
{
    private long _ticks = TimeSpan.FromDays(1).Ticks;
    private DateTimeOffset _utc = new(2025, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref _ticks);

    public override DateTimeOffset GetUtcNow() => _utc.AddTicks(Interlocked.Read(ref _ticks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _ticks, by.Ticks);
}
