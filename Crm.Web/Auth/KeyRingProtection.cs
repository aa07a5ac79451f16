using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace Crm.Web.Auth;

/// <summary>
/// The Data Protection key ring (which signs session cookies and antiforgery tokens, and will protect stored tokens)
/// is encrypted at rest with a secret kept apart from the data: a certificate (DataProtection:CertificatePath and
/// CertificatePassword) or a 256-bit key (DataProtection:KeyEncryptionKey, base64). Without either the ring is stored
/// in plain XML and the app says so at start; production sets one through the environment or a secret store.
/// </summary>
public static class KeyRingProtection
{
    public static IDataProtectionBuilder ProtectKeys(this IDataProtectionBuilder dataProtection, IConfiguration configuration)
    {
        if (configuration["DataProtection:CertificatePath"] is { Length: > 0 } path)
        {
            if (!File.Exists(path)) throw new Infrastructure.SettingsProblem("DataProtection:CertificatePath", $"there is no certificate file '{path}' (a .pfx).");
            var certificate = X509CertificateLoader.LoadPkcs12FromFile(path, configuration["DataProtection:CertificatePassword"]);
            return dataProtection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
        if (configuration["DataProtection:KeyEncryptionKey"] is { Length: > 0 } encoded)
        {
            var key = KeyEncryptionKey.Parse(encoded);
            dataProtection.Services.AddSingleton(key);
            dataProtection.Services.Configure<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>(o => o.XmlEncryptor = new AesGcmXmlEncryptor(key));
        }
        return dataProtection;
    }
}

/// <summary>The 256-bit key that encrypts the key ring (configuration only, never stored with the data).</summary>
public sealed class KeyEncryptionKey
{
    private KeyEncryptionKey(byte[] value) => Value = value;

    public byte[] Value { get; }

    public static KeyEncryptionKey Parse(string base64)
    {
        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(base64.Trim());
        }
        catch (FormatException)
        {
            throw new Infrastructure.SettingsProblem("DataProtection:KeyEncryptionKey", "it is not base64; generate one with: openssl rand -base64 32.");
        }
        if (bytes.Length != 32) throw new Infrastructure.SettingsProblem("DataProtection:KeyEncryptionKey", "it must be 32 bytes (base64 of 256 bits): openssl rand -base64 32.");
        return new KeyEncryptionKey(bytes);
    }
}

/// <summary>Encrypts each key's XML with AES-256-GCM under the <see cref="KeyEncryptionKey"/>.</summary>
public sealed class AesGcmXmlEncryptor(KeyEncryptionKey key) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement)
    {
        var plaintext = System.Text.Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var ciphertext = new byte[plaintext.Length];
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        using (var aes = new AesGcm(key.Value, tag.Length)) aes.Encrypt(nonce, plaintext, ciphertext, tag);
        CryptographicOperations.ZeroMemory(plaintext);
        var element = new XElement("encryptedKey",
            new XComment(" This key is encrypted with AES-256-GCM under DataProtection:KeyEncryptionKey. "),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
        return new EncryptedXmlInfo(element, typeof(AesGcmXmlDecryptor));
    }
}

/// <summary>Created by Data Protection from the key's XML; takes the key encryption key from the app's services.</summary>
public sealed class AesGcmXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var key = services.GetService<KeyEncryptionKey>()
                  ?? throw new InvalidOperationException("The key ring is encrypted, but DataProtection:KeyEncryptionKey is not set.");
        var nonce = Convert.FromBase64String((string)encryptedElement.Element("nonce")!);
        var tag = Convert.FromBase64String((string)encryptedElement.Element("tag")!);
        var ciphertext = Convert.FromBase64String((string)encryptedElement.Element("value")!);
        var plaintext = new byte[ciphertext.Length];
        using (var aes = new AesGcm(key.Value, tag.Length)) aes.Decrypt(nonce, ciphertext, tag, plaintext);
        try
        {
            return XElement.Parse(System.Text.Encoding.UTF8.GetString(plaintext));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plaintext);
        }
    }
}
