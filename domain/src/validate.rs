//! Validation rules for account fields. Pure functions, shared with the browser so the
//! form can show the same limits it will be held to.

use crate::error::Problem;

pub const DISPLAY_NAME_MAX: usize = 40;
pub const EMAIL_MAX: usize = 254;
/// NIST SP 800-63B: at least 8 characters, allow at least 64.
pub const PASSWORD_MIN: usize = 8;
pub const PASSWORD_MAX: usize = 128;

/// Trims and lower-cases an email so one address has one account.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

pub fn email(email: &str) -> Result<(), Problem> {
    let e = email.trim();
    if e.is_empty() {
        return Err(Problem::Required);
    }
    if e.chars().count() > EMAIL_MAX {
        return Err(Problem::TooLong { max: EMAIL_MAX });
    }
    let Some((local, domain)) = e.rsplit_once('@') else {
        return Err(Problem::InvalidEmail);
    };
    let ok = !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !e.chars().any(|c| c.is_whitespace() || c.is_control());
    if ok {
        Ok(())
    } else {
        Err(Problem::InvalidEmail)
    }
}

pub fn display_name(name: &str) -> Result<(), Problem> {
    let n = name.trim();
    if n.is_empty() {
        return Err(Problem::Required);
    }
    if n.chars().count() > DISPLAY_NAME_MAX {
        return Err(Problem::TooLong {
            max: DISPLAY_NAME_MAX,
        });
    }
    if n.chars().any(|c| c.is_control()) {
        return Err(Problem::InvalidChoice);
    }
    Ok(())
}

/// A few of the most used passwords; a full breached-password list would be better and
/// is noted as future work.
const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "12345678",
    "123456789",
    "1234567890",
    "qwertyui",
    "qwerty123",
    "password1",
    "11111111",
    "00000000",
    "88888888",
    "iloveyou",
    "abcd1234",
    "a1234567",
    "admin123",
    "woaini1314",
    "asdfghjk",
    "1qaz2wsx",
    "zxcvbnm1",
    "gongzhi123",
];

pub fn password(pw: &str) -> Result<(), Problem> {
    let n = pw.chars().count();
    if n == 0 {
        return Err(Problem::Required);
    }
    if n < PASSWORD_MIN {
        return Err(Problem::TooShort { min: PASSWORD_MIN });
    }
    if n > PASSWORD_MAX {
        return Err(Problem::TooLong { max: PASSWORD_MAX });
    }
    if COMMON_PASSWORDS.contains(&pw.to_lowercase().as_str()) {
        return Err(Problem::PasswordTooCommon);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_rules() {
        assert_eq!(email(""), Err(Problem::Required));
        assert_eq!(email("   "), Err(Problem::Required));
        assert_eq!(email("nobody"), Err(Problem::InvalidEmail));
        assert_eq!(email("a@b"), Err(Problem::InvalidEmail));
        assert_eq!(email("a b@c.cn"), Err(Problem::InvalidEmail));
        assert_eq!(email("@c.cn"), Err(Problem::InvalidEmail));
        assert!(email(" Li.Wei@Example.CN ").is_ok());
        assert_eq!(normalize_email(" Li.Wei@Example.CN "), "li.wei@example.cn");
    }

    #[test]
    fn display_name_rules() {
        assert_eq!(display_name(" "), Err(Problem::Required));
        assert!(display_name("李伟").is_ok());
        // Counted in characters, not bytes: 40 Chinese characters are fine.
        assert!(display_name(&"伟".repeat(40)).is_ok());
        assert_eq!(
            display_name(&"伟".repeat(41)),
            Err(Problem::TooLong { max: 40 })
        );
    }

    #[test]
    fn password_rules() {
        assert_eq!(password(""), Err(Problem::Required));
        assert_eq!(password("short"), Err(Problem::TooShort { min: 8 }));
        assert_eq!(password("Password1"), Err(Problem::PasswordTooCommon));
        assert_eq!(
            password(&"x".repeat(129)),
            Err(Problem::TooLong { max: 128 })
        );
        assert!(password("绿城南宁的春天").is_err());
        assert!(password("绿城南宁的春天来了").is_ok());
    }
}
