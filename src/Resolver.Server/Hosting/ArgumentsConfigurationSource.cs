using Microsoft.Extensions.Configuration;

namespace Resolver.Server.Hosting;

/// <summary>
/// Puts the command line's settings on top of every other configuration source. A list given on the command
/// line replaces the configured list: configuration normally merges lists by index, so
/// <c>--listen 127.0.0.1:5353</c> over a configured pair would keep the second configured address.
/// The provider hides earlier providers' children of a replaced list (<see cref="ConfigurationProvider.GetChildKeys"/>
/// is chained through all providers in order, and the binder enumerates lists through it).
/// </summary>
internal sealed class ArgumentsConfigurationSource(ServerArguments arguments) : IConfigurationSource
{
    public IConfigurationProvider Build(IConfigurationBuilder builder) => new ArgumentsConfigurationProvider(arguments);

    private sealed class ArgumentsConfigurationProvider : ConfigurationProvider
    {
        private readonly HashSet<string> replacedLists;

        public ArgumentsConfigurationProvider(ServerArguments arguments)
        {
            Data = arguments.ToConfigurationKeys();
            replacedLists = new HashSet<string>(arguments.ReplacedLists(), StringComparer.OrdinalIgnoreCase);
        }

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath)
        {
            if (parentPath is not null && replacedLists.Contains(parentPath))
            {
                return base.GetChildKeys([], parentPath);
            }

            return base.GetChildKeys(earlierKeys, parentPath);
        }
    }
}
