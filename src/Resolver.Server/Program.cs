using Resolver.Server.Commands;

// The `resolver` executable: a subcommand if the first argument names one, otherwise the DNS service.
return await CommandDispatcher.RunAsync(args, Console.Out, Console.Error);
