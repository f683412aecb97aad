package io.healthyproxy.http.internal.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.security.auth.x500.X500Principal;

/**
 * A certificate chain and its private key, read from PEM files and checked to belong together. Every problem
 * is an {@link IllegalArgumentException} naming the file's field ({@code certificate} or {@code key}), so that
 * a config loader can put it on the right line.
 *
 * <p>Why parse here rather than let Netty read the files: Netty's reader accepts a key that does not match
 * the certificate and fails only at the first handshake, and a reload must refuse such a pair before it
 * replaces a good one. Only unencrypted PKCS#8 keys ({@code BEGIN PRIVATE KEY}: what certbot and
 * {@code openssl genpkey} write) are read, RSA, EC or EdDSA, so no cryptography library is needed beyond the JDK.
 *
 * @param chain the leaf certificate first, then the intermediates, as the file had them
 */
public record PemKeyPair(List<X509Certificate> chain, PrivateKey key) {

    private static final String KEY_BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String KEY_END = "-----END PRIVATE KEY-----";
    private static final byte[] PROBE = "healthy-proxy key check".getBytes(StandardCharsets.US_ASCII);

    public PemKeyPair {
        chain = List.copyOf(chain);
    }

    /** Reads and checks both files. */
    public static PemKeyPair read(Path certificateFile, Path keyFile) {
        List<X509Certificate> chain = readChain(certificateFile);
        PrivateKey key = readKey(keyFile);
        if (!matches(chain.get(0), key)) {
            throw new IllegalArgumentException("key: " + keyFile + " is not the private key of the certificate in "
                    + certificateFile + " (expected: the key the certificate was issued for)");
        }
        return new PemKeyPair(chain, key);
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    public X509Certificate[] chainArray() {
        return chain.toArray(new X509Certificate[0]);
    }

    /**
     * The DNS names the leaf certificate is for: its subject alternative names of type DNS, or, when it has
     * none, its subject's common name (what clients accepted before SANs were required).
     */
    public List<String> dnsNames() {
        List<String> names = new ArrayList<>();
        try {
            if (leaf().getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf().getSubjectAlternativeNames()) {
                    if (Integer.valueOf(2).equals(san.get(0))) {
                        names.add(san.get(1).toString().toLowerCase(Locale.ROOT));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            // An unreadable extension names nothing: the common name below stands in.
        }
        if (names.isEmpty()) {
            String dn = leaf().getSubjectX500Principal().getName(X500Principal.RFC2253);
            for (String part : dn.split(",")) {
                if (part.startsWith("CN=")) {
                    names.add(part.substring(3).toLowerCase(Locale.ROOT));
                }
            }
        }
        return names;
    }

    private static List<X509Certificate> readChain(Path file) {
        byte[] bytes = readFile("certificate", file);
        List<X509Certificate> chain = new ArrayList<>();
        try {
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(bytes))) {
                chain.add((X509Certificate) c);
            }
        } catch (CertificateException e) {
            throw new IllegalArgumentException("certificate: " + file + " is not a PEM certificate chain ("
                    + e.getMessage() + ")");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("certificate: " + file
                    + " holds no certificate (expected: PEM, -----BEGIN CERTIFICATE-----)");
        }
        return chain;
    }

    private static PrivateKey readKey(Path file) {
        String text = new String(readFile("key", file), StandardCharsets.US_ASCII);
        int begin = text.indexOf(KEY_BEGIN);
        int end = text.indexOf(KEY_END);
        if (begin < 0 || end < begin) {
            String found = text.contains("ENCRYPTED PRIVATE KEY") ? "an encrypted key"
                    : text.contains("RSA PRIVATE KEY") || text.contains("EC PRIVATE KEY") ? "a PKCS#1/SEC1 key"
                    : "no private key";
            throw new IllegalArgumentException("key: " + file + " holds " + found + " (expected: an unencrypted "
                    + "PKCS#8 PEM key, -----BEGIN PRIVATE KEY-----; convert with openssl pkcs8 -topk8 -nocrypt)");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(begin + KEY_BEGIN.length(), end));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key: " + file + " is not valid PEM (" + e.getMessage() + ")");
        }
        for (String algorithm : List.of("RSA", "EC", "EdDSA")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // not this algorithm: try the next
            }
        }
        throw new IllegalArgumentException("key: " + file + " is not an RSA, EC or EdDSA private key");
    }

    private static byte[] readFile(String field, Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(field + ": " + file + ": no such file");
        } catch (IOException e) {
            throw new IllegalArgumentException(field + ": " + file + " cannot be read: " + e.getMessage());
        }
    }

    /** Whether {@code key} signs what the certificate's public key verifies. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            default -> key.getAlgorithm();       // EdDSA, Ed25519, Ed448 sign without a separate digest
        };
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(PROBE);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;                       // a key of another kind than the certificate's
        }
    }
}
