using Milan.Cli.Commands;

return MilanCommands.Build().Parse(args).Invoke();
