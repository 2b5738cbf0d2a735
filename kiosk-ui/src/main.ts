console.log('kiosk ui placeholder');
