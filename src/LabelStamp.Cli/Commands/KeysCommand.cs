using System.CommandLine;
using LabelStamp.Errors;
using LabelStamp.Provenance;

namespace LabelStamp.Cli.Commands;

/// <summary>
/// <c>labelstamp keys [-o DIR]</c>: makes a test CA and a C2PA claim-signing leaf (spec §6) and
/// writes ca.pem, signer.pem (leaf then CA) and signer.key. Prints the paths and the signer's subject,
/// never the key.
/// </summary>
public static class KeysCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o", "--out")
        {
            Description = "Directory for ca.pem, signer.pem and signer.key",
            DefaultValueFactory = _ => new DirectoryInfo("keys"),
        };
        var subject = new Option<string>("--signer-name")
        {
            Description = "Common name of the signing certificate (shown by C2PA readers as the signer)",
            DefaultValueFactory = _ => "LabelStamp C2PA Signer",
        };
        var force = new Option<bool>("--force") { Description = "Overwrite existing key files" };
        var command = new Command("keys", "Create a test CA and a C2PA signing certificate (PEM files) for local use");
        command.Options.Add(output);
        command.Options.Add(subject);
        command.Options.Add(force);
        command.SetAction(parseResult =>
        {
            var dir = parseResult.GetValue(output)!;
            try
            {
                string keyPath = Path.Combine(dir.FullName, "signer.key");
                if (File.Exists(keyPath) && !parseResult.GetValue(force))
                    throw new LabelStampException(ErrorCode.OutputConflict, $"{keyPath}: already exists; pass --force to replace it");
                var factory = new CertificateFactory();
                using var ca = factory.CreateAuthority();
                using var signer = factory.CreateSigner(ca, parseResult.GetValue(subject)!);
                foreach (var path in CertificateFactory.WritePem(dir.FullName, ca, signer)) System.Console.WriteLine(path);
                System.Console.WriteLine($"signer: {signer.Leaf.Subject} (issued by {ca.Subject}, valid to {signer.Leaf.NotAfter:yyyy-MM-dd}); test use only");
                return 0;
            }
            catch (LabelStampException e)
            {
                System.Console.Error.WriteLine(Console.ErrorLine.Format(e.CodeText, e.Message));
                return 2;
            }
            catch (IOException e)
            {
                System.Console.Error.WriteLine(Console.ErrorLine.Format(LabelStampException.Format(ErrorCode.IoFailed), $"{dir.FullName}: cannot write the key files: {PrintableText.Escape(e.Message)}"));
                return 2;
            }
            catch (UnauthorizedAccessException e)
            {
                System.Console.Error.WriteLine(Console.ErrorLine.Format(LabelStampException.Format(ErrorCode.IoFailed), $"{dir.FullName}: cannot write the key files: {PrintableText.Escape(e.Message)}"));
                return 2;
            }
        });
        return command;
    }
}
