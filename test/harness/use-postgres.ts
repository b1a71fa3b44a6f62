process.env.CRM_TEST_DB = 'postgres';
