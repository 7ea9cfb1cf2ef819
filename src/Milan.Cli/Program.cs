using System.CommandLine;
var k = new Option<int>("--k") { Description = "k", DefaultValueFactory = _ => 15 };
var cmd = new Command("exemplars", "compute");
cmd.Options.Add(k);
cmd.SetAction(pr => { Console.WriteLine(pr.GetValue(k)); return 0; });
var root = new RootCommand("milan");
root.Subcommands.Add(cmd);
return root.Parse(args).Invoke();
